package lessons

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// ErrWaited means a blocking call waited longer than the session allows
// (only when no one can answer, as in --auto).
var ErrWaited = errors.New("nothing arrived in time")

// pollEvery is how often a wait wakes to notice Ctrl-C. Short enough to
// feel instant, long enough to cost nothing.
const pollEvery = 100 * time.Millisecond

// waitNotice is how long a call waits before the learner is told that it
// is waiting, so a call blocked on the other terminal does not look hung.
const waitNotice = time.Second

// wait blocks until fd is ready for events, the context ends, or the
// session's wait limit passes. Lessons make blocking calls (accept, recv,
// recvfrom) only after wait, so that Ctrl-C ends them at once: a plain
// blocking call would not return until a peer showed up.
func (s *Session) wait(ctx context.Context, fd int, events int16) error {
	start := time.Now()
	noticed := false
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !noticed && time.Since(start) >= waitNotice {
			s.ui.Note("wait.blocked")
			noticed = true
		}
		if s.cfg.WaitLimit > 0 && time.Since(start) > s.cfg.WaitLimit {
			return fmt.Errorf("waited %s: %w", s.cfg.WaitLimit, ErrWaited)
		}
		slice := pollEvery
		if s.cfg.WaitLimit > 0 {
			if left := s.cfg.WaitLimit - time.Since(start); left < slice {
				slice = max(left, time.Millisecond)
			}
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: events}}
		n, err := unix.Poll(fds, int(slice/time.Millisecond))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return os.NewSyscallError("poll", err)
		}
		if n > 0 {
			return nil
		}
	}
}
