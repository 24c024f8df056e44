package lessons

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"golang.org/x/sys/unix"
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
	c := s.begin(k, "setsockopt(%d, %s, 1)", k.FD, o.text)
	err = unix.SetsockoptInt(k.FD, o.level, o.opt, 1)
	_, err = s.done(c, "0", err)
	return err
}

func init() {
	names := make([]string, 0, len(sockopts))
	for n := range sockopts {
		names = append(names, n)
	}
	slices.Sort(names)
	register(&Spec{Action: "setsockopt", Example: "setsockopt srv reuseaddr",
		Params: []Param{
			{Name: "name", Positional: true, Required: true},
			{Name: "option", Positional: true, Required: true, Values: names},
		},
		preview: func(s *Session, a args) string {
			fd := a.get("name")
			if k := s.Socket(fd); k != nil && k.Open() {
				fd = strconv.Itoa(k.FD)
			}
			return "setsockopt(" + fd + ", " + sockopts[a.get("option")].text + ", 1)"
		},
		run: func(ctx context.Context, s *Session, a args) error {
			return s.setsockopt(ctx, a.get("name"), a.get("option"))
		}})
}
