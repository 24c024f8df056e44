//go:build !windows

package lessons

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// FIN against RST: a server that reads and closes ends with FIN (the
// client's recv returns 0, its socket in CLOSE_WAIT); one that closes with
// the request unread, or with SO_LINGER 0, sends RST (RFC 2525 §2.17;
// socket(7)): the client's recv fails with ECONNRESET and its socket is
// closed, and the closer leaves nothing in the kernel's table.
func TestResetVersusFin(t *testing.T) {
	for _, tc := range []struct {
		how    string
		unread int
		err    error
		state  string
		closer string
	}{
		{"fin", 0, nil, "CLOSE_WAIT", "FIN_WAIT2"},
		{"unread", 5, unix.ECONNRESET, "CLOSED", ""},
		{"linger", 0, unix.ECONNRESET, "CLOSED", ""},
	} {
		withLab(t, func(l *lab) {
			res, err := l.serverEnds(context.Background(), tc.how)
			if err != nil {
				t.Fatal(err)
			}
			if res.Unread != tc.unread {
				t.Errorf("%s: %d bytes unread at close, want %d", tc.how, res.Unread, tc.unread)
			}
			if tc.err == nil && (res.Err != nil || res.Ret != 0) {
				t.Errorf("%s: client's recv = %d, %v; want 0, the end of the stream", tc.how, res.Ret, res.Err)
			}
			if tc.err != nil && !errors.Is(res.Err, tc.err) {
				t.Errorf("%s: client's recv failed with %v, want %v", tc.how, res.Err, tc.err)
			}
			if runtime.GOOS != "linux" {
				return
			}
			if res.State != tc.state {
				t.Errorf("%s: client's socket %s afterwards, want %s", tc.how, res.State, tc.state)
			}
			// FIN_WAIT1 is possible for a moment before the ACK of the FIN.
			if res.Closer != tc.closer && !(tc.closer == "FIN_WAIT2" && res.Closer == "FIN_WAIT1") {
				t.Errorf("%s: closer's connection %q in the table, want %q", tc.how, res.Closer, tc.closer)
			}
		})
	}
}

// A write after the peer closed is accepted and draws a RST; the next
// fails with EPIPE and raises SIGPIPE (send(2)).
func TestWriteAfterCloseEPIPE(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.writeAfterClose(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if res.First != len("first") || !errors.Is(res.Second, unix.EPIPE) || res.SIGPIPE < 1 {
			t.Errorf("%+v; want the first send accepted, the second EPIPE with a SIGPIPE", res)
		}
	})
}

// A server that does not close leaves every hung-up connection in
// CLOSE_WAIT until it does.
func TestCloseWaitPiles(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.forgetfulServer(context.Background(), 3)
		if err != nil {
			t.Fatal(err)
		}
		if runtime.GOOS != "linux" {
			return
		}
		if res.Waiting != 3 || res.Table != 3 || res.AfterFix != 0 {
			t.Errorf("%+v; want 3 in CLOSE_WAIT (TCP_INFO and /proc/net/tcp), 0 after close", res)
		}
	})
}
