//go:build !windows

package lessons_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sockstep/sockstep/lessons"
	"golang.org/x/sys/unix"
)

func TestConnectRefused(t *testing.T) {
	t.Parallel()
	for _, expect := range []bool{false, true} {
		t.Run(fmt.Sprintf("expect=%v", expect), func(t *testing.T) {
			t.Parallel()
			s, ui := newSession(t, lessons.Config{})
			mustStep(t, s, "socket c tcp")
			line := "connect c to=closed"
			if expect {
				line += " expect=ECONNREFUSED"
			}
			err := stepErr(t, s, line)
			c := ui.lastCall(t, "c", "connect")
			if expect {
				if err != nil || !c.Expected {
					t.Errorf("with expect: err %v, call marked expected %v", err, c.Expected)
				}
			} else if lessons.ErrnoOf(err) != unix.ECONNREFUSED || c.Expected {
				t.Errorf("error = %v (expected %v), want ECONNREFUSED", err, c.Expected)
			}
			if lessons.ErrnoOf(c.Err) != unix.ECONNREFUSED || !strings.HasPrefix(c.Err.Error(), "connect: ") {
				t.Errorf("call error = %v, want connect: ECONNREFUSED", c.Err)
			}
			if !strings.HasPrefix(c.Text, "connect(") || !strings.Contains(c.Text, "127.0.0.1:") {
				t.Errorf("call text %q", c.Text)
			}
			if k := s.Socket("c"); k.Remote.IsValid() {
				t.Errorf("a refused socket has a peer: %s", k.Remote)
			}
			// SYN went out, RST came back, from the server side.
			var packets []string
			for _, e := range s.Timeline() {
				if e.Kind == lessons.EventPacket {
					packets = append(packets, string(e.Side)+":"+e.Text)
				}
			}
			if got := strings.Join(packets, " "); got != "client:SYN server:RST" {
				t.Errorf("packets = %q, want client:SYN server:RST", got)
			}
		})
	}
}

func TestConnectTCP(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, tcpSetup[0]...)
	mustStep(t, s, tcpSetup[1]...)
	c, srv := s.Socket("c"), s.Socket("srv")
	call := ui.lastCall(t, "c", "connect")
	if call.Text != fmt.Sprintf("connect(%d, %s)", c.FD, srv.Local) || call.Ret != "0" || call.Side != lessons.Client {
		t.Errorf("connect call = %+v", call)
	}
	if c.Side != lessons.Client || c.Remote != srv.Local || !c.Local.Addr().IsLoopback() || c.Local.Port() == 0 {
		t.Errorf("client after connect: %+v", c)
	}
	// The step reports the client and the socket it connected to.
	if f := ui.lastFacts(t, "c"); f.State != "ESTABLISHED" {
		t.Errorf("client facts: %+v", f)
	}
	if f := ui.lastFacts(t, "srv"); f.State != "LISTEN" {
		t.Errorf("server facts reported with the connect step: %+v", f)
	}
}

// connect to= takes a socket name, closed, or HOST:PORT; anything beyond
// this machine needs the classroom opt-in, and is refused before any call.
// The addresses used here are ones the kernel itself would refuse to send
// a SYN to (broadcast, multicast), so that even a regression sends nothing.
func TestConnectNotLocal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		proto  string
		step   string
		script map[string][]string
	}{
		{"broadcast", "tcp", "connect c to=255.255.255.255:{port}", nil},
		{"multicast", "tcp", "connect c to=224.0.0.1:{port}", nil},
		{"typed in", "tcp", "connect c ask=yes", map[string][]string{"ask.host": {"224.0.0.1"}}},
		{"UDP sendto", "udp", "sendto c to=255.255.255.255:{port} text=x", nil},
		{"UDP connect", "udp", "connect c to=255.255.255.255:{port}", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, ui := newSession(t, lessons.Config{})
			for k, v := range tt.script {
				ui.script[k] = v
			}
			mustStep(t, s, "socket c "+tt.proto)
			err := stepErr(t, s, withPort(s.Config().Port, tt.step)...)
			if !errors.Is(err, lessons.ErrNotLocal) {
				t.Errorf("error = %v, want ErrNotLocal", err)
			}
			if cs := ui.callsOf("c"); len(cs) != 1 {
				t.Errorf("calls after the refused step: %+v, want only the socket call", cs)
			}
			if k := s.Socket("c"); k.Remote.IsValid() {
				t.Errorf("socket has a peer after a refused connect: %s", k.Remote)
			}
		})
	}
}

// ask=yes lets the learner type the server's host and port.
func TestConnectAsk(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		host, port string // answers; "" means the default
		want       error
	}{
		{"defaults", "", "", nil},
		{"typed", " 127.0.0.1 ", "{port}", nil},
		{"wildcard means this machine", "0.0.0.0", "{port}", nil},
		{"bad port", "127.0.0.1", "99999", lessons.ErrBadPort},
		{"empty host", " ", "{port}", lessons.ErrBadHost}, // no name lookup: nothing leaves the machine
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, ui := newSession(t, lessons.Config{})
			// bind with no port= takes the session's port, which is also
			// the default the question offers.
			mustStep(t, s, "socket srv tcp", "bind srv", "listen srv")
			port := strconv.Itoa(s.Config().Port)
			if tt.host != "" {
				ui.script["ask.host"] = []string{tt.host}
			}
			if tt.port != "" {
				ui.script["ask.port"] = []string{strings.ReplaceAll(tt.port, "{port}", port)}
			}
			mustStep(t, s, "socket c tcp")
			err := stepErr(t, s, "connect c ask=yes")
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			var keys []string
			for _, q := range ui.asked {
				keys = append(keys, q.Key+"="+q.Default)
			}
			if tt.want != lessons.ErrBadHost {
				if got, want := strings.Join(keys, " "), "ask.host=127.0.0.1 ask.port="+port; got != want {
					t.Errorf("questions = %q, want %q", got, want)
				}
			}
			if tt.want == nil {
				if c := s.Socket("c"); c.Remote != s.Socket("srv").Local {
					t.Errorf("connected to %s, want %s", c.Remote, s.Socket("srv").Local)
				}
			}
		})
	}
}

func TestConnectToUnboundSocket(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, "socket srv tcp", "socket c tcp")
	if err := stepErr(t, s, "connect c to=srv"); !errors.Is(err, lessons.ErrLesson) {
		t.Errorf("connect to a socket with no address: %v, want ErrLesson", err)
	}
	if ui.hasCall("c", "connect") {
		t.Error("connect was called")
	}
}

// A UDP connect sends nothing: it only sets the default destination.
func TestConnectUDP(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, "socket rx udp", "bind rx port=0")
	mustStep(t, s, "socket tx udp", "connect tx to=rx")
	tx, rx := s.Socket("tx"), s.Socket("rx")
	if tx.Remote != rx.Local || tx.Side != lessons.Client {
		t.Errorf("tx after connect: %+v", tx)
	}
	for _, e := range s.Timeline() {
		if e.Kind == lessons.EventPacket {
			t.Errorf("a UDP connect put a packet on the timeline: %+v", e)
		}
	}
	if f := factsOf(t, s, "rx"); f.RecvQ > 0 {
		t.Errorf("a UDP connect delivered something: %+v", f)
	}
	mustStep(t, s, "send tx text=one")
	mustStep(t, s, "recvfrom rx")
	if c := ui.lastCall(t, "rx", "recvfrom"); string(c.Data) != "one" || c.From != tx.Local {
		t.Errorf("recvfrom after send on a connected UDP socket: %q from %s, want one from %s", c.Data, c.From, tx.Local)
	}
}

// A connected UDP socket hears about ICMP port unreachable: the call after
// a datagram to a closed port fails with ECONNREFUSED.
func TestConnectUDPRefused(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	s, _ := newSession(t, lessons.Config{WaitLimit: 5 * time.Second})
	mustStep(t, s, "socket tx udp", "connect tx to=closed", "send tx text=anyone")
	err := stepErr(t, s, "recv tx")
	if lessons.ErrnoOf(err) != unix.ECONNREFUSED {
		t.Errorf("recv after a datagram to a closed port: %v, want ECONNREFUSED", err)
	}
}

// A connect retried after a refusal works: Linux refuses a second connect
// on the failed socket (ECONNABORTED), so the retry closes it and opens a
// fresh one, and the learner sees both calls.
func TestConnectRetryAfterRefused(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, "socket c tcp")
	if err := stepErr(t, s, "connect c to=closed"); lessons.ErrnoOf(err) != unix.ECONNREFUSED {
		t.Fatalf("first connect: %v, want ECONNREFUSED", err)
	}
	old := s.Socket("c").FD
	mustStep(t, s, "socket srv tcp by=peer")
	mustStep(t, s, "bind srv")
	mustStep(t, s, "listen srv backlog=1")
	mustStep(t, s, "connect c to=srv")
	if k := s.Socket("c"); !k.Remote.IsValid() {
		t.Errorf("the retried connect left no peer on c")
	}
	ui.lastCall(t, "c", "socket")
	if c := ui.lastCall(t, "c", "close"); !strings.Contains(c.Text, strconv.Itoa(old)) {
		t.Errorf("the failed socket %d was not closed before the retry: %q", old, c.Text)
	}
}
