package lessons

import (
	"context"
	"fmt"

	"github.com/sockstep/sockstep/lessons/sock"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// newSocket creates a socket: the "buy a phone" stage. It is the only place
// a lesson's file descriptors are born, so close-on-exec is set here (a
// learner's program started later must not inherit them).
func (s *Session) newSocket(ctx context.Context, name string, proto Proto, family int, peer bool) error {
	typ, typName := unix.SOCK_DGRAM, "SOCK_DGRAM"
	if proto == TCP {
		typ, typName = unix.SOCK_STREAM, "SOCK_STREAM"
	}
	famName := "AF_INET"
	if family == unix.AF_INET6 {
		famName = "AF_INET6"
	}
	k := &Socket{Name: name, FD: -1, Proto: proto, Family: family, Side: NoSide, Peer: peer}
	c := s.begin(k, "socket", "%s, %s, 0", famName, typName)
	fd, err := sock.Socket(family, typ, 0)
	if err != nil {
		_, err = s.done(c, "", err)
		return err
	}
	k.FD = fd
	s.add(k)
	_, err = s.done(c, fmt.Sprintf("fd %d", fd), nil)
	return err
}
