//go:build !windows

package lessons_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/sockstep/sockstep/lessons"
	"golang.org/x/sys/unix"
)

func TestSetsockoptReuseAddr(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, "socket srv tcp", "setsockopt srv reuseaddr")
	k := s.Socket("srv")
	c := ui.lastCall(t, "srv", "setsockopt")
	if want := fmt.Sprintf("setsockopt(%d, SOL_SOCKET, SO_REUSEADDR, 1)", k.FD); c.Text != want || c.Ret != "0" || c.Err != nil {
		t.Errorf("call = %+v, want %q = 0", c, want)
	}
	if v, err := unix.GetsockoptInt(k.FD, unix.SOL_SOCKET, unix.SO_REUSEADDR); err != nil || v != 1 {
		t.Errorf("SO_REUSEADDR read back = %d, %v; want 1", v, err)
	}
}

func TestSetsockoptMistakes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		lines []string
	}{
		{"socket not created", []string{"setsockopt nobody reuseaddr"}},
		{"socket closed", []string{"socket srv tcp", "close srv", "setsockopt srv reuseaddr"}},
		{"option not taught", []string{"socket srv tcp", "setsockopt srv reuseport"}},
		{"option missing", []string{"socket srv tcp", "setsockopt srv"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, _ := newSession(t, lessons.Config{})
			var err error
			for _, line := range tt.lines {
				if err = stepErr(t, s, line); err != nil {
					break
				}
			}
			if !errors.Is(err, lessons.ErrLesson) {
				t.Errorf("%q: err = %v, want a lesson mistake", tt.lines, err)
			}
		})
	}
}

// What the tcp-states lesson says about restarting a server: a new socket
// may bind a port that a connection in TIME_WAIT still holds only when it
// and the old connection (through its listener) both have SO_REUSEADDR.
func TestReuseAddrAfterTimeWait(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	tests := []struct {
		oldReuse, newReuse bool
		want               unix.Errno
	}{
		{false, false, unix.EADDRINUSE},
		{false, true, unix.EADDRINUSE},
		{true, false, unix.EADDRINUSE},
		{true, true, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("old=%v,new=%v", tt.oldReuse, tt.newReuse), func(t *testing.T) {
			t.Parallel()
			s, _ := newSession(t, lessons.Config{})
			mustStep(t, s, "socket web tcp")
			if tt.oldReuse {
				mustStep(t, s, "setsockopt web reuseaddr")
			}
			mustStep(t, s, "bind web port=0", "listen web", "socket c tcp", "connect c to=web",
				"accept web as=conn", "close conn", "close c", "close web")
			// The server closed first: its side of the connection holds
			// the port in TIME_WAIT.
			eventually(t, "the server's side to reach TIME_WAIT", func() bool { return factsOf(t, s, "conn").State == "TIME_WAIT" })
			mustStep(t, s, "socket again tcp")
			if tt.newReuse {
				mustStep(t, s, "setsockopt again reuseaddr")
			}
			err := stepErr(t, s, "bind again port=web")
			if got := lessons.ErrnoOf(err); got != tt.want {
				t.Errorf("bind = %v (errno %v), want errno %v", err, got, tt.want)
			}
		})
	}
}
