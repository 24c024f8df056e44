//go:build !windows

package verify

import (
	"os/exec"
	"syscall"
)

// killedAsGroup puts cmd in a process group of its own, killed whole (the
// compiler and linker with go build) when its context ends.
func killedAsGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
