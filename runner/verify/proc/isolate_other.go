//go:build !linux

package proc

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

type plan struct {
	iso      Isolation
	uid, gid int
	dropCaps bool
}

// choose: namespaces are Linux's; elsewhere a process group is all.
func choose(path string, args []string, dir string) plan {
	return plan{iso: IsolationGroup, uid: -1, gid: -1}
}

func shimCommand(pl plan, path string, args []string) (*exec.Cmd, error) {
	return nil, errors.New("no namespaces on this system")
}

func namespaceRefused(err error) bool { return true }

func shimReady(r *os.File) error { return nil }

func shimStatus(r *os.File) (ws syscall.WaitStatus, ok bool) { return ws, false }
