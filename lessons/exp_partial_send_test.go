//go:build !windows

package lessons

import (
	"context"
	"errors"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// A non-blocking send of 1 MiB into small buffers takes only part of it;
// every byte it took is in the sender's or the receiver's queue; the next
// send finds no room (EAGAIN).
func TestPartialSendNonblocking(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.nonblockingSend(context.Background(), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if res.Took <= 0 || res.Took >= res.Asked {
			t.Errorf("send took %d of %d bytes; want a part of them", res.Took, res.Asked)
		}
		if res.SendQ+res.RecvQ != res.Took+res.More {
			t.Errorf("sends took %d bytes, but SIOCOUTQ %d + SIOCINQ %d = %d", res.Took+res.More, res.SendQ, res.RecvQ, res.SendQ+res.RecvQ)
		}
		if !errors.Is(res.AgainErr, unix.EAGAIN) {
			t.Errorf("the next send: %v, want EAGAIN", res.AgainErr)
		}
		t.Logf("%+v", res)
	})
}

// sendall's loop gets every byte across, in several calls.
func TestPartialSendall(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.sendall(context.Background(), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if sum(res.Calls) != 1<<20 || res.Read != 1<<20 || len(res.Calls) < 2 {
			t.Errorf("sendall: %d bytes in %d calls, %d read", sum(res.Calls), len(res.Calls), res.Read)
		}
		t.Logf("%d calls, %d waits, first %v", len(res.Calls), res.Again, res.Calls[:min(5, len(res.Calls))])
	})
}

// recv returns at most what it asked for, and no more than has arrived.
func TestPartialReads(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.readLoop(context.Background(), []int{10000}, 1024, 0)
		if err != nil {
			t.Fatal(err)
		}
		if sum(res.Reads) != 10000 || len(res.Reads) < 10 {
			t.Errorf("10000 bytes with recv(1024): reads %v", res.Reads)
		}
		for _, n := range res.Reads {
			if n > 1024 {
				t.Errorf("recv(1024) returned %d", n)
			}
		}
	})
	withLab(t, func(l *lab) {
		res, err := l.readLoop(context.Background(), []int{4000, 6000}, 16384, 50*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		// The first part is read before the second is sent: a recv
		// cannot return bytes not sent yet.
		if len(res.Reads) < 2 || sum(res.Reads) != 10000 || res.Reads[0] > 4000 {
			t.Errorf("4000 then 6000 bytes with recv(16384): reads %v", res.Reads)
		}
	})
}

// A blocking send cut short by a signal returns the bytes it took, not
// an error, although the handler has SA_RESTART (signal(7)).
func TestPartialSendSignal(t *testing.T) {
	for run := 0; run < 5; run++ {
		withLab(t, func(l *lab) {
			res, err := l.interruptedSend(context.Background(), 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Real {
				t.Skip("no tgkill here")
			}
			if res.Took <= 0 || res.Took >= res.Asked || res.Signals < 1 {
				t.Errorf("%+v: want a part taken, after a signal", res)
			}
			t.Logf("%+v", res)
		})
	}
}

// Ctrl-C while send blocks: the send is ended, its goroutine returns.
func TestPartialSendSignalCancel(t *testing.T) {
	withLab(t, func(l *lab) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := l.interruptedSend(ctx, 1<<20); err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled send: %v", err)
		}
	})
}
