package lessons_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sockstep/sockstep/lessons"
)

// A blocking call with nobody to answer gives up after the wait limit
// (--auto), rather than hanging.
func TestWaitLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup [][]string
		step  string
	}{
		{"recvfrom", [][]string{{"socket rx udp", "bind rx port=0"}}, "recvfrom rx"},
		{"accept", [][]string{{"socket srv tcp", "bind srv port=0", "listen srv"}}, "accept srv as=conn"},
		{"recv", tcpSetup, "recv conn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, ui := newSession(t, lessons.Config{WaitLimit: 10 * time.Millisecond})
			for _, st := range tt.setup {
				mustStep(t, s, st...)
			}
			name := directive(t, tt.step).Pos[0]
			err := stepErr(t, s, tt.step)
			if !errors.Is(err, lessons.ErrWaited) {
				t.Fatalf("error = %v, want ErrWaited", err)
			}
			if lessons.ErrnoOf(err) != 0 {
				t.Errorf("a wait that ran out carries errno %v", lessons.ErrnoOf(err))
			}
			if ui.hasCall(name, tt.name) {
				t.Errorf("%s was called although nothing arrived", tt.name)
			}
			if s.Socket("conn") != nil && tt.name == "accept" {
				t.Error("accept made a socket")
			}
		})
	}
}

// A context cancelled before the step never makes the blocking call.
func TestCancelledBeforeStep(t *testing.T) {
	t.Parallel()
	s, _ := newSession(t, lessons.Config{})
	mustStep(t, s, "socket rx udp", "bind rx port=0")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := s.RunStep(ctx, directives(t, "recvfrom rx")); !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

// A call that waits longer than a moment says so once, so that a learner
// watching a blocked accept knows the lesson has not hung; a call that
// returns at once says nothing.
func TestWaitNotice(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{WaitLimit: 1500 * time.Millisecond})
	mustStep(t, s, "socket rx udp", "bind rx port=0")
	if err := stepErr(t, s, "recvfrom rx"); !errors.Is(err, lessons.ErrWaited) {
		t.Fatalf("error = %v, want ErrWaited", err)
	}
	if n := len(ui.notesWith("wait.blocked")); n != 1 {
		t.Errorf("%d waiting notes after a 1.5 s wait, want 1", n)
	}

	s2, ui2 := newSession(t, lessons.Config{})
	mustStep(t, s2, "socket rx udp", "bind rx port=0", "socket tx udp", "sendto tx to=rx text=hi", "recvfrom rx")
	if n := len(ui2.notesWith("wait.blocked")); n != 0 {
		t.Errorf("a recvfrom that returned at once said it was waiting (%d notes)", n)
	}
}
