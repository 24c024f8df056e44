package lessons

import (
	"context"
	"net/netip"

	"golang.org/x/sys/unix"
)

// bind gives the socket a local address: "insert the SIM card". The
// address must be one of this machine's own; anything else fails with
// EADDRNOTAVAIL, which is itself worth seeing.
func (s *Session) bind(ctx context.Context, name string, addr netip.AddrPort) error {
	k, sa, err := s.needAddr(name, addr)
	if err != nil {
		return err
	}
	s.watch(k.Proto, addr.Port(), Server)
	c := s.begin(k, "bind", "%d, %s", k.FD, addr)
	err = unix.Bind(k.FD, sa)
	if err == nil && k.Side == NoSide {
		k.Side = Server
		if sa, e := unix.Getsockname(k.FD); e == nil {
			k.Local, _ = addrPort(sa)
		}
	}
	_, err = s.done(c, "0", err)
	return err
}
