package lessons_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
)

// The side that closes first waits in FIN_WAIT2 for the other side's FIN,
// then in TIME_WAIT; both outlive its descriptor and are read from the
// kernel's table of connections.
func TestCloseClientFirst(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	s, ui := newSession(t, lessons.Config{})
	connected(t, s)
	fd := s.Socket("c").FD
	mustStep(t, s, "close c")
	if c := ui.lastCall(t, "c", "close"); c.Text != fmt.Sprintf("close(%d)", fd) || c.Ret != "0" || c.Err != nil {
		t.Errorf("close call = %+v", c)
	}
	f := ui.lastFacts(t, "c")
	if !f.Closed || f.FD != -1 || f.State != "FIN_WAIT2" || f.Limited {
		t.Errorf("client facts after close = %+v, want closed, no fd, FIN_WAIT2", f)
	}
	if k := s.Socket("c"); k.Open() || k.FD != -1 {
		t.Errorf("socket after close: %+v", k)
	}
	if st := factsOf(t, s, "conn").State; st != "CLOSE_WAIT" {
		t.Errorf("server connection after the client's FIN = %q, want CLOSE_WAIT", st)
	}

	mustStep(t, s, "recv conn")
	mustStep(t, s, "close conn")
	eventually(t, "the client to reach TIME_WAIT", func() bool { return factsOf(t, s, "c").State == "TIME_WAIT" })
	// The side that closed last keeps no trace once its FIN is acknowledged.
	eventually(t, "the server connection to be gone", func() bool { return factsOf(t, s, "conn").State == "" })
	if f := factsOf(t, s, "srv"); f.State != "LISTEN" {
		t.Errorf("listener after the connection ended = %q, want LISTEN", f.State)
	}
}

// shutdown(SHUT_WR) sends FIN but keeps the descriptor: the other side sees
// the end of the stream and can still answer.
func TestShutdownHalfClose(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	s, ui := newSession(t, lessons.Config{})
	connected(t, s)
	fd := s.Socket("c").FD
	mustStep(t, s, "shutdown c how=wr")
	if c := ui.lastCall(t, "c", "shutdown"); c.Text != fmt.Sprintf("shutdown(%d, SHUT_WR)", fd) || c.Ret != "0" {
		t.Errorf("shutdown call = %+v", c)
	}
	if k := s.Socket("c"); !k.Open() || k.FD != fd {
		t.Errorf("shutdown closed the descriptor: %+v", k)
	}
	if st := ui.lastFacts(t, "c").State; st != "FIN_WAIT2" {
		t.Errorf("client after shutdown(wr) = %q, want FIN_WAIT2", st)
	}
	mustStep(t, s, "recv conn")
	if c := ui.lastCall(t, "conn", "recv"); c.Note != "call.eof" {
		t.Errorf("server recv after the client's shutdown = %+v, want end of stream", c)
	}
	if st := ui.lastFacts(t, "conn").State; st != "CLOSE_WAIT" {
		t.Errorf("server after the client's FIN = %q, want CLOSE_WAIT", st)
	}
	mustStep(t, s, "send conn text=bye")
	mustStep(t, s, "recv c")
	if c := ui.lastCall(t, "c", "recv"); string(c.Data) != "bye" {
		t.Errorf("a half-closed client received %q, want bye", c.Data)
	}
}

func TestShutdownHow(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ how, want string }{
		{"", "SHUT_WR"}, {"wr", "SHUT_WR"}, {"rd", "SHUT_RD"}, {"rdwr", "SHUT_RDWR"},
	} {
		t.Run(tt.want+" how="+tt.how, func(t *testing.T) {
			t.Parallel()
			s, ui := newSession(t, lessons.Config{})
			connected(t, s)
			line := "shutdown c"
			if tt.how != "" {
				line += " how=" + tt.how
			}
			mustStep(t, s, line)
			if c := ui.lastCall(t, "c", "shutdown"); c.Text != fmt.Sprintf("shutdown(%d, %s)", s.Socket("c").FD, tt.want) {
				t.Errorf("call = %q, want %s", c.Text, tt.want)
			}
			var fin bool
			for _, e := range s.Timeline() {
				fin = fin || (e.Kind == lessons.EventPacket && e.Text == "FIN" && e.Side == lessons.Client)
			}
			if fin != (tt.want != "SHUT_RD") {
				t.Errorf("FIN on the timeline = %v after %s", fin, tt.want)
			}
		})
	}
}

// A UDP socket has no connection: close sends nothing and leaves no state.
func TestCloseUDP(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, "socket rx udp", "bind rx port=0")
	mustStep(t, s, "close rx")
	f := ui.lastFacts(t, "rx")
	if !f.Closed || f.FD != -1 || f.State != "" {
		t.Errorf("facts after closing a UDP socket = %+v", f)
	}
	for _, e := range s.Timeline() {
		if e.Kind == lessons.EventPacket {
			t.Errorf("closing a UDP socket put a packet on the timeline: %+v", e)
		}
	}
	// The port is free again.
	mustStep(t, s, "socket again udp", fmt.Sprintf("bind again port=%d", s.Socket("rx").Local.Port()))
}

func TestCloseTwice(t *testing.T) {
	t.Parallel()
	s, _ := newSession(t, lessons.Config{})
	mustStep(t, s, "socket rx udp", "close rx")
	for _, line := range []string{"close rx", "recvfrom rx", "shutdown rx"} {
		if err := stepErr(t, s, line); !errors.Is(err, lessons.ErrLesson) {
			t.Errorf("%s after close: %v, want ErrLesson", line, err)
		}
	}
}

// Session.Close releases every descriptor, on every path. These subtests
// count the process's sockets, so they do not run in parallel with others.
func TestSessionCloseReleasesEverything(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, s *lessons.Session, ui *fakeUI)
	}{
		{"normal end", func(t *testing.T, s *lessons.Session, ui *fakeUI) {
			connected(t, s)
			mustStep(t, s, "socket rx udp by=peer", "bind rx port=0", "socket tx udp", "sendto tx to=rx text=x")
		}},
		{"error mid-step", func(t *testing.T, s *lessons.Session, ui *fakeUI) {
			mustStep(t, s, "socket a udp", "bind a port=0")
			port := s.Socket("a").Local.Port()
			err := stepErr(t, s, "socket b tcp", "socket c udp", fmt.Sprintf("bind c port=%d", port), "socket never udp")
			if err == nil || s.Socket("never") != nil {
				t.Fatalf("the step did not stop at the failing bind: %v", err)
			}
		}},
		{"cancelled while waiting", func(t *testing.T, s *lessons.Session, ui *fakeUI) {
			mustStep(t, s, "socket srv tcp", "bind srv port=0", "listen srv")
			err := cancelWhenBlocked(t, s, directives(t, "socket rx udp", "bind rx port=0", "recvfrom rx"))
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("error = %v, want context.Canceled", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireLinux(t)
			before := sockettest.Sockets(t)
			ui := &fakeUI{script: map[string][]string{}}
			s := lessons.NewSession(lessons.Config{Port: sockettest.FreePort(t)}, ui)
			tt.run(t, s, ui)
			if s.OpenFDs() == 0 || len(sockettest.Sockets(t)) <= len(before) {
				t.Fatalf("the session holds no sockets before Close (OpenFDs %d)", s.OpenFDs())
			}
			if err := s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
			if after := sockettest.Sockets(t); !slices.Equal(before, after) {
				t.Errorf("sockets before the session: %v\nafter Close: %v", before, after)
			}
			if s.OpenFDs() != 0 {
				t.Errorf("OpenFDs after Close = %d", s.OpenFDs())
			}
			for _, k := range s.Sockets() {
				if k.Open() || k.FD != -1 {
					t.Errorf("socket %s after Close: %+v", k.Name, k)
				}
			}
			if err := s.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
		})
	}
}
