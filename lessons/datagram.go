package lessons

import (
	"context"
	"fmt"
	"net/netip"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// sendto sends one datagram to addr: "post a letter". No connection is
// needed and nothing comes back to say it arrived.
func (s *Session) sendto(ctx context.Context, name string, data []byte, addr netip.AddrPort) error {
	k, sa, err := s.needAddr(name, addr)
	if err != nil {
		return err
	}
	if k.Side == NoSide {
		k.Side = Client
	}
	s.watch(k.Proto, addr.Port(), k.Side.Other())
	c := s.begin(k, "sendto", "%d, %s, 0, %s", k.FD, quoteData(data), addr)
	err = unix.Sendto(k.FD, data, 0, sa)
	if err == nil {
		if !k.Local.IsValid() || k.Local.Port() == 0 {
			// The first sendto bound an ephemeral port implicitly.
			if lsa, e := unix.Getsockname(k.FD); e == nil {
				k.Local, _ = addrPort(lsa)
			}
		}
		c.payload(k.Side, k, "datagram", len(data))
	}
	c.data = data
	_, err = s.done(c, fmt.Sprintf("%d", len(data)), err)
	return err
}

// recvfrom waits for one datagram and returns it with the sender's address.
// A datagram larger than size is cut to size; the rest is lost.
func (s *Session) recvfrom(ctx context.Context, name string, size int) error {
	k, err := s.need(name)
	if err != nil {
		return err
	}
	c := s.begin(k, "recvfrom", "%d, %d, 0", k.FD, size)
	if err := s.wait(ctx, k.FD, unix.POLLIN); err != nil {
		return err
	}
	buf := make([]byte, size)
	n, from, err := unix.Recvfrom(k.FD, buf, 0)
	if err != nil {
		_, err = s.done(c, "", err)
		return err
	}
	c.from, _ = addrPort(from)
	c.data = buf[:n]
	_, err = s.done(c, fmt.Sprintf("%d, %s", n, c.from), nil)
	return err
}
