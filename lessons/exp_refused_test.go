//go:build !windows

package lessons_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"golang.org/x/sys/unix"
)

// The refused lesson is made of ordinary steps; run them as written, in
// both languages, and check each call's outcome: an unconnected sendto to a
// closed port succeeds, a connected UDP socket hears ECONNREFUSED on the
// call after its send, and TCP connect is refused at once.
func TestRefusedLesson(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	for _, lang := range content.Langs {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			l := builtinLesson(t, lang, "refused")
			s, ui := newSession(t, lessons.Config{WaitLimit: 5 * time.Second})
			for _, st := range l.Steps {
				if err := s.RunStep(stepCtx(t), st.Directives); err != nil {
					t.Fatalf("step %q: %v", st.Title, err)
				}
			}

			sends := 0
			for _, c := range ui.callsOf("tx") {
				if !strings.HasPrefix(c.Text, "sendto(") {
					continue
				}
				sends++
				if c.Err != nil || c.Ret != strconv.Itoa(len(c.Data)) || len(c.Data) == 0 {
					t.Errorf("unconnected %s: ret %q, err %v; want the byte count, no error", c.Text, c.Ret, c.Err)
				}
			}
			if sends != 2 {
				t.Errorf("%d sendto calls to the closed port, want 2", sends)
			}
			if c := ui.lastCall(t, "u", "send"); c.Err != nil {
				t.Errorf("connected UDP send: %v; the error must come on the next call", c.Err)
			}
			if c := ui.lastCall(t, "u", "recv"); lessons.ErrnoOf(c.Err) != unix.ECONNREFUSED || !c.Expected {
				t.Errorf("connected UDP recv: %v (expected %v), want ECONNREFUSED", c.Err, c.Expected)
			}
			if c := ui.lastCall(t, "c", "connect"); lessons.ErrnoOf(c.Err) != unix.ECONNREFUSED || !c.Expected {
				t.Errorf("TCP connect: %v (expected %v), want ECONNREFUSED", c.Err, c.Expected)
			}
		})
	}
}
