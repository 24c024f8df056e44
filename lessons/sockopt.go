package lessons

import (
	"context"
	"fmt"
	"slices"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// sockopt is a socket option a lesson may set, as the call shows it.
type sockopt struct {
	level, opt int
	text       string // "SOL_SOCKET, SO_REUSEADDR"
}

// sockopts are the options lessons teach, by the name a directive uses.
// Only SO_REUSEADDR so far: it lets a restarted server bind the port its
// previous run left in TIME_WAIT.
var sockopts = map[string]sockopt{
	"reuseaddr": {unix.SOL_SOCKET, unix.SO_REUSEADDR, "SOL_SOCKET, SO_REUSEADDR"},
}

// setsockopt switches an option on, before the call it changes (for
// SO_REUSEADDR: before bind).
func (s *Session) setsockopt(ctx context.Context, name, opt string) error {
	o, ok := sockopts[opt]
	if !ok {
		return fmt.Errorf("unknown socket option %q: %w", opt, ErrLesson)
	}
	k, err := s.need(name)
	if err != nil {
		return err
	}
	c := s.begin(k, "setsockopt", "%d, %s, 1", k.FD, o.text)
	err = unix.SetsockoptInt(k.FD, o.level, o.opt, 1)
	_, err = s.done(c, "0", err)
	return err
}

// sockoptNames are the option names a setsockopt directive accepts.
func sockoptNames() []string {
	names := make([]string, 0, len(sockopts))
	for n := range sockopts {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
