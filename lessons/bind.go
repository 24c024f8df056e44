package lessons

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"runtime"
	"strings"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
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
	if err == nil && !addr.Addr().IsLoopback() && !s.cfg.AllowRemote {
		// Only a bind that had to fail gets here (see mustFail). Should
		// the kernel take the address after all, nothing may use it.
		unix.Close(k.FD)
		k.closed, k.FD = true, -1
		err = fmt.Errorf("binding %s: %w", addr.Addr(), ErrNotLocal)
	}
	if err == nil && k.Side == NoSide {
		k.Side = Server
		if sa, e := unix.Getsockname(k.FD); e == nil {
			k.Local, _ = addrPort(sa)
		}
	}
	_, err = s.done(c, "0", err)
	return err
}

// mustFail reports whether binding a can only fail with EADDRNOTAVAIL,
// which a lesson may show without the classroom opt-in: a unicast address
// that no interface of this machine has. Linux's bind accepts more than
// the machine's own addresses (inet_bind in net/ipv4/af_inet.c): a
// multicast address, a broadcast one (255.255.255.255, 0.0.0.0/8, the
// first and last address of a local subnet), and any address at all when
// net.ipv4.ip_nonlocal_bind (or its IPv6 twin) is set (ip(7), ipv6(7));
// none of these is a failure to show.
func mustFail(a netip.Addr) bool {
	ifs, err := Interfaces()
	if err != nil {
		return false // unknown: the loopback rule stands
	}
	var own []netip.Prefix
	for _, i := range ifs {
		own = append(own, i.Addrs...)
	}
	return foreignUnicast(a, own, nonlocalBind(a))
}

// foreignUnicast is mustFail's rule, given the machine's prefixes and
// whether non-local binding is on.
func foreignUnicast(a netip.Addr, own []netip.Prefix, nonlocal bool) bool {
	a = a.Unmap()
	if nonlocal || !a.IsGlobalUnicast() || a.Is4() && a.As4()[0] == 0 {
		return false
	}
	for _, p := range own {
		if p.Addr().Unmap() == a || own4(p, a) {
			return false
		}
	}
	return true
}

// own4 reports whether a is the network or broadcast address of an IPv4
// subnet p of this machine, which the kernel keeps as a broadcast route.
func own4(p netip.Prefix, a netip.Addr) bool {
	p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()).Masked()
	if !p.Addr().Is4() || p.Bits() >= 31 || !p.Contains(a) {
		return false
	}
	last := p.Addr().As4()
	for i := p.Bits(); i < 32; i++ {
		last[i/8] |= 1 << (7 - i%8)
	}
	return a == p.Addr() || a == netip.AddrFrom4(last)
}

// nonlocalBind reads net.ipv4.ip_nonlocal_bind or net.ipv6.ip_nonlocal_bind
// for a's family; when it cannot be read it is taken to be on.
func nonlocalBind(a netip.Addr) bool {
	family := "ipv4"
	if !a.Unmap().Is4() {
		family = "ipv6"
	}
	data, err := os.ReadFile("/proc/sys/net/" + family + "/ip_nonlocal_bind")
	if os.IsNotExist(err) && runtime.GOOS != "linux" {
		return false // another system: its bind refuses foreign addresses
	}
	return err != nil || strings.TrimSpace(string(data)) != "0"
}
