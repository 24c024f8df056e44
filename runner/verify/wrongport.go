package verify

import (
	"net/netip"
	"strings"
)

// reaches reports whether a socket bound to a is reached at verify's host:
// bound to that address or to the any-address (0.0.0.0, or :: for both
// IPv4 and IPv6 unless IPV6_V6ONLY is set, ipv6(7)). The kernel's table
// shows an IPv4-mapped address unmapped.
func reaches(a netip.Addr) bool {
	return a.IsUnspecified() || a == netip.MustParseAddr(host)
}

// wrongPort reports, while verify waits for the program to bind or listen
// on PORT, that it will not: the program's processes hold sockets bound
// (UDP) or listening (TCP) on other ports, and nothing of theirs is at
// PORT (a socket at PORT on another address, such as 127.0.0.2, is not
// there: verify connects and sends to 127.0.0.1). The kernel's socket table says so at once, so a program that
// ignores the PORT argument is told in milliseconds rather than after the
// whole time limit. It must be seen on two successive polls, so that a
// program that binds a helper socket first is given its moment.
func wrongPort(s *session) bool {
	if s.obs.Reached || s.proc == nil {
		return false
	}
	socks := groupSockets(s.proc.Pgid())
	other := len(socks) > 0
	for _, x := range socks {
		_, addr, _ := strings.Cut(x, " ")
		if ap, err := netip.ParseAddrPort(addr); err == nil && int(ap.Port()) == s.port && reaches(ap.Addr()) {
			other = false
		}
	}
	if !other {
		s.obs.wrongSeen = 0
		return false
	}
	s.obs.wrongSeen++
	if s.obs.wrongSeen < 2 {
		return false
	}
	s.obs.WrongPort = true
	s.obs.OtherSockets = socks
	return true
}
