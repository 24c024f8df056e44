//go:build !windows

package lessons_test

import (
	"net/netip"
	"testing"

	"github.com/sockstep/sockstep/lessons"
	"golang.org/x/sys/unix"
)

// After close, the state of a connection comes from the kernel's table
// (/proc/net/tcp or tcp6), matched on both addresses. This runs the
// client-closes-first teardown in each address family a lesson can use.
func TestInspectClosedConnectionState(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	tests := []struct {
		name   string
		host   string
		family string // socket family= for both sockets, "" for the host's
	}{
		{"IPv4", "127.0.0.1", ""},
		{"IPv6", "::1", ""},
		// An AF_INET6 socket on an IPv4 address talks over an IPv4-mapped
		// address; the kernel lists it in /proc/net/tcp6.
		{"IPv6 socket, IPv4 host", "127.0.0.1", "6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, _ := newSession(t, lessons.Config{Host: netip.MustParseAddr(tt.host)})
			fam := ""
			if tt.family != "" {
				fam = " family=" + tt.family
			}
			err := stepErr(t, s, "socket srv tcp"+fam, "bind srv port=0", "listen srv")
			if e := lessons.ErrnoOf(err); e == unix.EAFNOSUPPORT || e == unix.EADDRNOTAVAIL {
				t.Skipf("%s is not available here: %v", tt.host, err)
			}
			if err != nil {
				t.Fatal(err)
			}
			mustStep(t, s, "socket c tcp"+fam, "connect c to=srv")
			mustStep(t, s, "accept srv as=conn")
			mustStep(t, s, "close c")
			if f := factsOf(t, s, "c"); f.State != "FIN_WAIT2" || f.Limited {
				t.Fatalf("closed client: state %q (limited %v), want FIN_WAIT2; local %s remote %s", f.State, f.Limited, f.Local, f.Remote)
			}
			mustStep(t, s, "close conn")
			eventually(t, "TIME_WAIT on the client", func() bool { return factsOf(t, s, "c").State == "TIME_WAIT" })
		})
	}
}

// Facts of sockets in the states a lesson passes through.
func TestInspectFacts(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	s, _ := newSession(t, lessons.Config{})
	mustStep(t, s, "socket srv tcp")
	if f := factsOf(t, s, "srv"); f.State != "CLOSED" || f.AcceptQ != -1 || f.Backlog != -1 || f.RecvQ != 0 || f.SendQ != 0 || f.Limited {
		t.Errorf("fresh TCP socket: %+v", f)
	}
	connected(t, s)
	f := factsOf(t, s, "conn")
	if f.Name != "conn" || f.Proto != lessons.TCP || f.Peer || f.External || f.Closed || f.FD != s.Socket("conn").FD {
		t.Errorf("accepted socket identity: %+v", f)
	}
	if f.AcceptQ != -1 || f.Backlog != -1 {
		t.Errorf("a connected socket reports listener queues: %+v", f)
	}
	mustStep(t, s, "close srv")
	// The listener had no connection: nothing of it remains.
	if f := factsOf(t, s, "srv"); f.State != "" || !f.Closed || f.RecvQ != -1 {
		t.Errorf("closed listener: %+v", f)
	}
	// The accepted connection lives on without its listener.
	if f := factsOf(t, s, "conn"); f.State != "ESTABLISHED" {
		t.Errorf("connection after its listener closed: %q", f.State)
	}
}
