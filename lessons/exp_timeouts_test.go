//go:build !windows

package lessons

import (
	"context"
	"errors"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// A blocking recvfrom with no datagram coming stays blocked: it returns
// only the datagram the lesson sends later, never before.
func TestTimeoutsRecvBlocks(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.udpBlocks(context.Background(), 300*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		if res.Early || res.Got != "late" {
			t.Errorf("recvfrom returned early=%v with %q; want it blocked until \"late\" was sent", res.Early, res.Got)
		}
		t.Logf("blocked %s ms", ms(res.Elapsed))
	})
}

// SO_RCVTIMEO ends the same wait by itself, with EAGAIN (socket(7)).
func TestTimeoutsRcvtimeo(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.udpTimeout(context.Background(), 200*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Early || !errors.Is(res.Err, unix.EAGAIN) {
			t.Errorf("recvfrom with SO_RCVTIMEO: early=%v err=%v; want EAGAIN from the kernel", res.Early, res.Err)
		}
		t.Logf("EAGAIN after %s ms for a 200 ms timeout", ms(res.Elapsed))
	})
}

// Ctrl-C during a blocked recvfrom: the call is woken, the goroutine
// ends, every socket is closed.
func TestTimeoutsRecvCancel(t *testing.T) {
	withLab(t, func(l *lab) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		if _, err := l.udpBlocks(ctx, time.Minute); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled blocking recvfrom returned %v", err)
		}
	})
}
