package proc

import "syscall"

// Windows has no process groups to signal; verify does not run there (the
// command line says it needs a Linux or macOS kernel). These let the
// package build, so that sockstep's other commands work on Windows.

func sysProcAttr() *syscall.SysProcAttr { return nil }

func killGroup(pgid int, sig syscall.Signal) error { return syscall.EWINDOWS }

func killPid(pid int, sig syscall.Signal) error { return syscall.EWINDOWS }

// GroupAlive reports whether any process of the group still exists;
// never known here.
func GroupAlive(pgid int) bool { return false }
