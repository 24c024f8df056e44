package lessons

import (
	"context"
	"net/netip"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// connect dials addr. For TCP this is the three-way handshake: SYN,
// SYN-ACK, ACK, all done by the kernel inside this one call. For UDP it
// only records a default destination, and sends nothing.
//
// The socket is made non-blocking for the call and the wait is done with
// poll, so Ctrl-C can end a connect that hangs; the learner still sees one
// connect, with its real result.
func (s *Session) connect(ctx context.Context, name string, addr netip.AddrPort) error {
	k, sa, err := s.needAddr(name, addr)
	if err != nil {
		return err
	}
	if k.Proto == TCP && k.connectFailed {
		// A retry after a failed connect: what a careful program does,
		// shown as the two calls it takes.
		if err := s.closeSocket(ctx, name); err != nil {
			return err
		}
		if err := s.newSocket(ctx, name, k.Proto, k.Family, k.Peer); err != nil {
			return err
		}
		if k, err = s.need(name); err != nil {
			return err
		}
	}
	k.Side = Client
	s.watch(k.Proto, addr.Port(), Server)
	c := s.begin(k, "connect", "%d, %s", k.FD, addr)
	if err := unix.SetNonblock(k.FD, true); err != nil {
		return err
	}
	err = unix.Connect(k.FD, sa)
	if err == unix.EINPROGRESS {
		if werr := s.wait(ctx, k.FD, unix.POLLOUT); werr != nil {
			unix.SetNonblock(k.FD, false)
			return werr
		}
		var soerr int
		soerr, err = unix.GetsockoptInt(k.FD, unix.SOL_SOCKET, unix.SO_ERROR)
		if err == nil && soerr != 0 {
			err = unix.Errno(soerr)
		}
	}
	unix.SetNonblock(k.FD, false)
	if k.Proto == TCP {
		server := s.socketAt(addr)
		c.packet(Client, k, "SYN")
		switch {
		case err == nil:
			c.packet(Server, server, "SYN-ACK")
			c.packet(Client, k, "ACK")
		case ErrnoOf(err) == unix.ECONNREFUSED:
			c.packet(Server, server, "RST")
		}
	}
	k.connectFailed = err != nil && k.Proto == TCP
	if err == nil {
		if lsa, e := unix.Getsockname(k.FD); e == nil {
			k.Local, _ = addrPort(lsa)
		}
		k.Remote = addr
	}
	_, err = s.done(c, "0", err)
	return err
}

// socketAt finds the session socket that owns addr (to label the other
// end of a packet), or a stand-in for a party outside the session.
func (s *Session) socketAt(addr netip.AddrPort) *Socket {
	var found *Socket
	for _, k := range s.Sockets() {
		if k.Proto != TCP || k.Side != Server || k.Local.Port() != addr.Port() {
			continue
		}
		if k.Local.Addr() != addr.Addr() && !k.Local.Addr().IsUnspecified() {
			continue
		}
		if k.Backlog > 0 && !k.closed { // the listening socket answers
			return k
		}
		if found == nil {
			found = k
		}
	}
	if found != nil {
		return found
	}
	return &Socket{Name: addr.String(), Side: Server, External: true}
}
