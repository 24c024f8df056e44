//go:build unix

package proc

import (
	"errors"
	"syscall"
)

func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// killGroup signals every process of the group. ESRCH (nobody left) is
// not an error.
func killGroup(pgid int, sig syscall.Signal) error {
	if pgid <= 1 {
		return nil // never signal our own group or everyone
	}
	err := syscall.Kill(-pgid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// killPid signals one process; ESRCH is not an error.
func killPid(pid int, sig syscall.Signal) error {
	if pid <= 1 {
		return nil
	}
	err := syscall.Kill(pid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// GroupAlive reports whether any process of the group still exists.
func GroupAlive(pgid int) bool {
	return syscall.Kill(-pgid, 0) == nil
}
