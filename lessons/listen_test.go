//go:build !windows

package lessons_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/sockstep/sockstep/lessons"
	"golang.org/x/sys/unix"
)

func TestListen(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	tests := []struct {
		line        string
		wantBacklog int
	}{
		{"listen srv backlog=5", 5},
		{"listen srv", 128}, // the default, as in the notes
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			t.Parallel()
			s, ui := newSession(t, lessons.Config{})
			mustStep(t, s, "socket srv tcp", "bind srv port=0", tt.line)
			k := s.Socket("srv")
			c := ui.lastCall(t, "srv", "listen")
			if c.Text != fmt.Sprintf("listen(%d, %d)", k.FD, tt.wantBacklog) || c.Ret != "0" || c.Err != nil {
				t.Errorf("listen call = %+v", c)
			}
			f := ui.lastFacts(t, "srv")
			if f.State != "LISTEN" || f.AcceptQ != 0 || f.Backlog != tt.wantBacklog || f.Side != lessons.Server {
				t.Errorf("facts after listen: state %q, accept queue %d, backlog %d, side %q; want LISTEN, 0, %d, server",
					f.State, f.AcceptQ, f.Backlog, f.Side, tt.wantBacklog)
			}
			if k.Backlog != tt.wantBacklog {
				t.Errorf("Socket.Backlog = %d, want %d", k.Backlog, tt.wantBacklog)
			}
		})
	}
}

// The kernel completes the handshake on its own: after connect, the
// connection waits in the accept queue until accept takes it.
func TestAcceptQueue(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, tcpSetup[0]...)
	mustStep(t, s, tcpSetup[1]...)
	eventually(t, "the connection to reach the accept queue", func() bool { return factsOf(t, s, "srv").AcceptQ == 1 })
	if f := factsOf(t, s, "c"); f.State != "ESTABLISHED" {
		t.Errorf("client state before accept = %q, want ESTABLISHED", f.State)
	}
	if f := factsOf(t, s, "srv"); f.Backlog != 5 || f.State != "LISTEN" {
		t.Errorf("listener before accept = %+v", f)
	}

	mustStep(t, s, tcpSetup[2]...)
	srv, c, conn := s.Socket("srv"), s.Socket("c"), s.Socket("conn")
	if conn == nil || !conn.Open() || conn.FD == srv.FD {
		t.Fatalf("accept made no new socket: %+v", conn)
	}
	call := ui.lastCall(t, "srv", "accept")
	if want := fmt.Sprintf("fd %d, %s", conn.FD, c.Local); call.Ret != want || call.Text != fmt.Sprintf("accept(%d)", srv.FD) {
		t.Errorf("accept call = %q → %q, want accept(%d) → %q", call.Text, call.Ret, srv.FD, want)
	}
	if f := factsOf(t, s, "srv"); f.AcceptQ != 0 || f.State != "LISTEN" {
		t.Errorf("listener after accept: state %q, accept queue %d; want LISTEN, 0", f.State, f.AcceptQ)
	}
	fConn, fC := factsOf(t, s, "conn"), factsOf(t, s, "c")
	if fConn.State != "ESTABLISHED" || fC.State != "ESTABLISHED" {
		t.Errorf("after accept: conn %q, c %q; want both ESTABLISHED", fConn.State, fC.State)
	}
	if fConn.Local != srv.Local || fConn.Remote != fC.Local || fC.Remote != srv.Local {
		t.Errorf("addresses: conn %s↔%s, c %s↔%s, srv %s", fConn.Local, fConn.Remote, fC.Local, fC.Remote, srv.Local)
	}
	if fConn.Side != lessons.Server || fC.Side != lessons.Client {
		t.Errorf("sides: conn %q, c %q", fConn.Side, fC.Side)
	}
	// The accept step reports facts on the listener and the new socket.
	if f := ui.lastFacts(t, "conn"); f.State != "ESTABLISHED" {
		t.Errorf("reported facts for conn: %+v", f)
	}
}

func TestListenErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		steps []string
		want  unix.Errno
	}{
		{"UDP cannot listen", []string{"socket rx udp", "bind rx port=0", "listen rx"}, unix.EOPNOTSUPP},
		{"UDP cannot accept", []string{"socket rx udp", "bind rx port=0", "accept rx as=x"}, unix.EOPNOTSUPP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// A wait limit, so that a call that waits instead of failing
			// shows up as ErrWaited rather than a hang.
			s, _ := newSession(t, lessons.Config{WaitLimit: 200 * time.Millisecond})
			mustStep(t, s, tt.steps[:len(tt.steps)-1]...)
			err := stepErr(t, s, tt.steps[len(tt.steps)-1])
			if lessons.ErrnoOf(err) != tt.want {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
		})
	}
}

// listen on a socket that was never bound makes the kernel bind it
// implicitly, to the wildcard address: reachable from the whole network.
// Without the classroom opt-in a session must not end up listening there.
func TestListenUnboundStaysLocal(t *testing.T) {
	t.Parallel()
	s, _ := newSession(t, lessons.Config{})
	mustStep(t, s, "socket srv tcp")
	err := stepErr(t, s, "listen srv")
	if k := s.Socket("srv"); err == nil && !k.Local.Addr().IsLoopback() {
		t.Errorf("listen on an unbound socket left it listening on %s, beyond loopback, without --host", k.Local)
	}
}
