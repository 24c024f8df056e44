package proc

import (
	"errors"

	"golang.org/x/sys/unix"
)

// waitExit blocks until the leader has exited, leaving it unreaped
// (WNOWAIT) so that its pid, and so the group id, stays reserved until
// Stop has killed the rest of the group.
func (p *Process) waitExit() {
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, p.pgid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if !errors.Is(err, unix.EINTR) {
			return
		}
	}
}

// reap collects the exit status and waits for the output to be copied.
func (p *Process) reap() error { return p.cmd.Wait() }

// exitedNow asks the kernel whether the leader has exited, without
// waiting and without reaping it: the watching goroutine may not have run
// yet (a loaded machine, the race detector), and a program that exited by
// itself must not be reported as stopped by verify.
func (p *Process) exitedNow() bool {
	var info unix.Siginfo // zero: with WNOHANG and nothing to report, it stays so
	err := unix.Waitid(unix.P_PID, p.pgid, &info, unix.WEXITED|unix.WNOHANG|unix.WNOWAIT, nil)
	return err == nil && info.Signo == int32(unix.SIGCHLD)
}
