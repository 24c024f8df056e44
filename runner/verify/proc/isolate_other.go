//go:build !linux

package proc

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"time"
)

type plan struct {
	iso      Isolation
	uid, gid int
	dropCaps bool
	newPID   bool
	userNS   bool
	shim     bool
}

// choose: namespaces are Linux's; elsewhere a process group is all.
func choose() plan {
	return plan{iso: IsolationGroup, uid: -1, gid: -1}
}

func forUser(uid, gid int, named, path string, args []string, dir, tmp string) (string, []string, string, string, error) {
	return path, args, dir, "", nil
}

func shimCommand(pl plan, path string, args []string) (*exec.Cmd, error) {
	return nil, errors.New("no namespaces on this system")
}

func namespaceRefused(err error) bool { return true }

func shimReady(r *os.File) error { return nil }

func (p *Process) shimStatus(time.Duration) (ws syscall.WaitStatus, ok bool) { return ws, false }

func (p *Process) programEnded() bool { return false }

func mayAccess(uid, gid uint32, p string, want os.FileMode) bool { return true }

const nobody = 65534

func acquireUID() int { return -1 }
func releaseUID(int)  {}

// OthersRunning: programs are not told apart on this system.
func OthersRunning() bool { return false }
