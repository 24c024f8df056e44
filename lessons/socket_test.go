//go:build !windows

package lessons_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/sockstep/sockstep/lessons"
	"golang.org/x/sys/unix"
)

func TestSocket(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line      string
		wantText  string
		wantProto lessons.Proto
		wantState string // TCP state of a fresh socket
	}{
		{"socket rx udp", "socket(AF_INET, SOCK_DGRAM, 0)", lessons.UDP, ""},
		{"socket srv tcp", "socket(AF_INET, SOCK_STREAM, 0)", lessons.TCP, "CLOSED"},
		{"socket rx udp family=4", "socket(AF_INET, SOCK_DGRAM, 0)", lessons.UDP, ""},
		{"socket srv tcp family=6", "socket(AF_INET6, SOCK_STREAM, 0)", lessons.TCP, "CLOSED"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			t.Parallel()
			s, ui := newSession(t, lessons.Config{})
			err := stepErr(t, s, tt.line)
			if lessons.ErrnoOf(err) == unix.EAFNOSUPPORT {
				t.Skip("IPv6 is not available here")
			}
			if err != nil {
				t.Fatal(err)
			}
			name := directive(t, tt.line).Pos[0]
			k := s.Socket(name)
			if k == nil || !k.Open() || k.FD < 0 {
				t.Fatalf("socket %q after the step: %+v", name, k)
			}
			if k.Proto != tt.wantProto || k.Side != lessons.NoSide || k.Peer || k.External {
				t.Errorf("socket %q = %+v, want proto %s, no side, not a peer", name, k, tt.wantProto)
			}
			c := ui.lastCall(t, name, "socket")
			if c.Text != tt.wantText || c.Ret != fmt.Sprintf("fd %d", k.FD) || c.Err != nil {
				t.Errorf("call = %q → %q (%v), want %q → fd %d", c.Text, c.Ret, c.Err, tt.wantText, k.FD)
			}
			f := ui.lastFacts(t, name)
			if f.FD != k.FD || f.Closed || f.State != tt.wantState || f.Remote.IsValid() {
				t.Errorf("facts of a fresh socket = %+v, want fd %d, state %q, no peer", f, k.FD, tt.wantState)
			}
			if tt.wantProto == lessons.UDP && (f.RecvQ != 0 || f.SendQ != 0) {
				t.Errorf("a fresh UDP socket has RecvQ %d, SendQ %d, want 0", f.RecvQ, f.SendQ)
			}
		})
	}
}

// A learner's program started after a lesson must not inherit its sockets:
// every descriptor the session makes, including accepted ones, is
// close-on-exec.
func TestSocketsAreCloseOnExec(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	s, _ := newSession(t, lessons.Config{})
	connected(t, s)
	mustStep(t, s, "socket rx udp")
	for _, k := range s.Sockets() {
		flags, err := unix.FcntlInt(uintptr(k.FD), unix.F_GETFD, 0)
		if err != nil {
			t.Fatalf("%s: F_GETFD: %v", k.Name, err)
		}
		if flags&unix.FD_CLOEXEC == 0 {
			t.Errorf("socket %s (fd %d) is not close-on-exec", k.Name, k.FD)
		}
	}
}

// A second socket step with the same name replaces the first socket and
// closes its descriptor.
func TestSocketSameNameReplaces(t *testing.T) {
	t.Parallel()
	s, _ := newSession(t, lessons.Config{})
	mustStep(t, s, "socket a udp")
	first := s.Socket("a")
	mustStep(t, s, "socket a tcp")
	if got := len(s.Sockets()); got != 1 {
		t.Errorf("Sockets() has %d entries after reusing a name, want 1", got)
	}
	if s.OpenFDs() != 1 {
		t.Errorf("OpenFDs() = %d, want 1", s.OpenFDs())
	}
	if k := s.Socket("a"); k == first || k.Proto != lessons.TCP {
		t.Errorf("Socket(a) = %+v, want the new TCP socket", k)
	}
}

func TestSocketUseBeforeCreate(t *testing.T) {
	t.Parallel()
	for _, line := range []string{
		"bind nope port=0", "listen nope", "accept nope as=c", "connect nope to=closed",
		`send nope text=x`, "recv nope", "sendto nope to=closed", "recvfrom nope",
		"close nope", "shutdown nope", "inspect nope",
	} {
		t.Run(line, func(t *testing.T) {
			t.Parallel()
			s, ui := newSession(t, lessons.Config{})
			err := stepErr(t, s, line)
			if !errors.Is(err, lessons.ErrLesson) {
				t.Errorf("error = %v, want ErrLesson", err)
			}
			if len(ui.calls) != 0 {
				t.Errorf("calls were made: %v", ui.calls)
			}
		})
	}
}
