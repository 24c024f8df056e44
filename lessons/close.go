package lessons

import (
	"context"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// close releases the descriptor: "hang up". On a TCP connection the kernel
// then sends FIN, unless unread data is still waiting, in which case it
// sends RST and the other side sees the connection reset. The connection
// itself may outlive the descriptor (FIN_WAIT2, then TIME_WAIT on the side
// that closed first); the facts after this step show it from the kernel's
// table.
func (s *Session) closeSocket(ctx context.Context, name string) error {
	k, err := s.need(name)
	if err != nil {
		return err
	}
	before := s.inspect(k)
	c := s.begin(k, "close", "%d", k.FD)
	err = unix.Close(k.FD)
	k.closed = true
	k.FD = -1
	if err == nil && k.Proto == TCP {
		switch before.State {
		case "ESTABLISHED", "CLOSE_WAIT", "SYN_RECV":
			if before.RecvQ > 0 {
				c.packet(k.Side, k, "RST")
			} else {
				c.packet(k.Side, k, "FIN")
				c.packet(k.Side.Other(), k, "ACK")
			}
		}
	}
	_, err = s.done(c, "0", err)
	return err
}

// shutdown closes one direction of a connection but keeps the descriptor:
// SHUT_WR sends FIN ("I have nothing more to say") while the socket can
// still receive.
func (s *Session) shutdown(ctx context.Context, name, how string) error {
	k, err := s.need(name)
	if err != nil {
		return err
	}
	h, hName := unix.SHUT_WR, "SHUT_WR"
	switch how {
	case "rd":
		h, hName = unix.SHUT_RD, "SHUT_RD"
	case "rdwr":
		h, hName = unix.SHUT_RDWR, "SHUT_RDWR"
	}
	c := s.begin(k, "shutdown", "%d, %s", k.FD, hName)
	err = unix.Shutdown(k.FD, h)
	if err == nil && k.Proto == TCP && h != unix.SHUT_RD {
		c.packet(k.Side, k, "FIN")
		c.packet(k.Side.Other(), k, "ACK")
	}
	_, err = s.done(c, "0", err)
	return err
}
