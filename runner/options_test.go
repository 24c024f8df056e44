package runner

import (
	"testing"

	"github.com/sockstep/sockstep/lessons"
)

// Blocking calls are bounded where no one can answer them (no terminal,
// --auto); a presenter on a terminal in two-terminal mode waits for the
// other terminal as long as it takes, Ctrl-C at hand.
func TestWaitLimit(t *testing.T) {
	for _, c := range []struct {
		name    string
		o       Options
		bounded bool
	}{
		{"plain", Options{Mode: Plain}, true},
		{"plain, two terminals", Options{Mode: Plain, Session: lessons.Config{Role: lessons.RoleServer}}, true},
		{"presenter without a terminal, two terminals", Options{Mode: Presenter, Session: lessons.Config{Role: lessons.RoleClient}}, true},
		{"presenter on a terminal", Options{Mode: Presenter, Terminal: true}, true},
		{"presenter on a terminal, two terminals", Options{Mode: Presenter, Terminal: true, Session: lessons.Config{Role: lessons.RoleClient}}, false},
		{"interactive", Options{Mode: Interactive}, false},
	} {
		c.o.fill()
		if got := c.o.Session.WaitLimit > 0; got != c.bounded {
			t.Errorf("%s: WaitLimit %s, bounded %v, want %v", c.name, c.o.Session.WaitLimit, got, c.bounded)
		}
	}
}
