package verify

import (
	"context"
	"errors"
	"os"
	"syscall"
)

// Exit statuses of an interrupted verify, as a shell reports a command
// killed by the signal: 128 + its number (SIGINT 2, SIGHUP 1, SIGTERM 15).
const (
	ExitInterrupted = 130
	ExitHangup      = 129
	ExitTerminated  = 143
)

// interruptedStatus is the exit status for a context cancelled by a
// signal. The signal is read from the context's cause: an error with a
// Signal() method, or the text os/signal.NotifyContext gives its cause
// ("hangup signal received"). Anything else counts as Ctrl-C.
func interruptedStatus(ctx context.Context) int {
	cause := context.Cause(ctx)
	var sg interface{ Signal() os.Signal }
	var sig os.Signal
	switch {
	case cause == nil:
	case errors.As(cause, &sg):
		sig = sg.Signal()
	default:
		for _, s := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT} {
			if cause.Error() == s.String()+" signal received" {
				sig = s
			}
		}
	}
	switch sig {
	case syscall.SIGHUP:
		return ExitHangup
	case syscall.SIGTERM:
		return ExitTerminated
	}
	return ExitInterrupted
}
