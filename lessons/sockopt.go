package lessons

import (
	"context"
	"strconv"

	"golang.org/x/sys/unix"
)

// setsockopt sets a socket option before the call it changes. Only
// SO_REUSEADDR is taught: it lets a restarted server bind the port its
// previous run left in TIME_WAIT.
func (s *Session) setsockopt(ctx context.Context, name, opt string) error {
	k, err := s.need(name)
	if err != nil {
		return err
	}
	c := s.begin(k, "setsockopt(%d, SOL_SOCKET, SO_REUSEADDR, 1)", k.FD)
	err = unix.SetsockoptInt(k.FD, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
	_, err = s.done(c, "0", err)
	return err
}

func init() {
	register(&Spec{Action: "setsockopt", Example: "setsockopt srv reuseaddr",
		Params: []Param{
			{Name: "name", Positional: true, Required: true},
			{Name: "option", Positional: true, Required: true, Values: []string{"reuseaddr"}},
		},
		preview: func(s *Session, a args) string {
			fd := a.get("name")
			if k := s.Socket(fd); k != nil && k.Open() {
				return "setsockopt(" + strconv.Itoa(k.FD) + ", SOL_SOCKET, SO_REUSEADDR, 1)"
			}
			return "setsockopt(" + fd + ", SOL_SOCKET, SO_REUSEADDR, 1)"
		},
		run: func(ctx context.Context, s *Session, a args) error {
			return s.setsockopt(ctx, a.get("name"), a.get("option"))
		}})
}
