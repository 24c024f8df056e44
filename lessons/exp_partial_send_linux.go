//go:build linux

package lessons

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// interruptedSend makes a blocking send of size bytes into small buffers
// whose receiver does not read, and sends a signal to the thread blocked
// in it. The signal is SIGURG, which the Go runtime already handles (with
// SA_RESTART, as it installs every handler): a send that has transferred
// some data returns the count instead of being restarted (signal(7)).
// Signals are sent every 50 ms until send returns, so one that arrives
// before the call blocks changes nothing; after labWait the lesson ends
// the send itself (shutdown) and reports that the signal did not.
func (l *lab) interruptedSend(ctx context.Context, size int) (signalResult, error) {
	res := signalResult{Asked: size, Real: true}
	c, srv, err := l.smallPair(ctx)
	if err != nil {
		return res, err
	}
	_ = srv
	type ret struct {
		n       int
		err     error
		elapsed time.Duration
	}
	tids := make(chan int, 1)
	done := make(chan ret, 1)
	data := payload(size)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		tids <- unix.Gettid()
		start := time.Now()
		n, err := unix.Write(c, data)
		done <- ret{n, err, time.Since(start)}
	}()
	tid := <-tids
	pid := unix.Getpid()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	limit := time.NewTimer(labWait)
	defer limit.Stop()
	var r ret
	for wait := true; wait; {
		select {
		case r = <-done:
			wait = false
		case <-tick.C:
			if unix.Tgkill(pid, tid, unix.SIGURG) == nil {
				res.Signals++
			}
		case <-ctx.Done():
			unix.Shutdown(c, unix.SHUT_RDWR)
			<-done
			return res, ctx.Err()
		case <-limit.C:
			unix.Shutdown(c, unix.SHUT_RDWR)
			<-done
			return res, labFailed(errLabTimeout, "exp.partial.err.not-ended", "a blocking send was not ended by %d signals", res.Signals)
		}
	}
	if r.err != nil {
		return res, fmt.Errorf("send: %w", r.err)
	}
	res.Took, res.Elapsed = r.n, r.elapsed
	l.show(Client, fmt.Sprintf("send(%d, %s, 0)", c, l.s.data(size))+l.s.comment("exp.partial.call.signals", ms(r.elapsed), res.Signals), strconv.Itoa(r.n), nil, nil)
	if res.Took >= size {
		return res, labFailed(nil, "exp.partial.err.took-everything", "the buffers took everything: nothing for a signal to interrupt")
	}
	return res, nil
}
