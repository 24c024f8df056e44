//go:build !windows

package lessons

import (
	"context"
	"errors"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// O_NONBLOCK: accept with no client and recv with no data fail with
// EAGAIN instead of waiting (accept(2), recv(2)).
func TestNonblockingEAGAIN(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.nonblockingCalls(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !errors.Is(res.AcceptErr, unix.EAGAIN) || !errors.Is(res.RecvErr, unix.EAGAIN) {
			t.Errorf("accept: %v, recv: %v; want EAGAIN for both", res.AcceptErr, res.RecvErr)
		}
	})
}

// One goroutine with poll serves three clients: B and C are answered
// while A is connected and silent, before A's message is served; every
// client is accepted once and seen hanging up once.
func TestNonblockingPollServer(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.pollServer(context.Background(), 100*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		order := map[string]int{}
		for i, e := range res.Events {
			count[e.Client+" "+e.What]++
			order[e.Client+" "+e.What] = i
		}
		for _, c := range loopClients {
			for _, w := range []string{"accept", "echo", "closed"} {
				if count[c+" "+w] != 1 {
					t.Errorf("%s %s %d times; events %+v", c, w, count[c+" "+w], res.Events)
				}
			}
		}
		if order["B echo"] > order["A echo"] || order["C echo"] > order["A echo"] {
			t.Errorf("B and C must be served before A speaks: %+v", res.Events)
		}
		if len(res.Waits) != 3 {
			t.Errorf("waits %v", res.Waits)
		}
		t.Logf("%d polls, waits %v", res.Polls, res.Waits)
	})
}

// Ctrl-C in the middle: the loop and the clients' goroutine end, every
// socket closes.
func TestNonblockingPollCancel(t *testing.T) {
	withLab(t, func(l *lab) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		if _, err := l.pollServer(ctx, time.Second); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled event loop returned %v", err)
		}
	})
}
