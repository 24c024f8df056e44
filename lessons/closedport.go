package lessons

import (
	"math/rand/v2"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"github.com/sockstep/sockstep/lessons/sock"
	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// closedPort finds a loopback port where nothing is bound, TCP or UDP:
// the "closed" of a lesson, an empty house to call or write to.
//
// It is taken above the kernel's ephemeral range (ip_local_port_range,
// ip(7); 61000–65535 with the default range 32768–60999) and checked
// free by binding it with both protocols and letting go. The kernel never
// hands out such a port by itself (a connect's or an unbound sendto's
// source port comes from the range), so it stays closed for the lesson
// unless a program binds that very number. A port the kernel picked and
// was given back could be any other program's next source port, and the
// lesson's RST or ICMP answer would then not come. Where the range leaves
// no room above it, the kernel picks.
func closedPort(host netip.Addr) (netip.AddrPort, error) {
	lo := loopbackFor(host)
	if !lo.IsLoopback() {
		lo = netip.MustParseAddr("127.0.0.1")
	}
	if _, high, ok := ephemeralRange(); ok && high < 65535-100 {
		for range 50 {
			p := uint16(high + 1 + rand.IntN(65535-high))
			if unbound(netip.AddrPortFrom(lo, p)) {
				return netip.AddrPortFrom(lo, p), nil
			}
		}
	}
	p, err := freePort(TCP, lo)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return netip.AddrPortFrom(lo, p), nil
}

// unbound reports whether both a TCP and a UDP socket can bind addr now.
func unbound(addr netip.AddrPort) bool {
	fam := familyOf(addr.Addr())
	sa, err := sockaddr(fam, addr)
	if err != nil {
		return false
	}
	for _, typ := range []int{unix.SOCK_STREAM, unix.SOCK_DGRAM} {
		fd, err := sock.Socket(fam, typ, 0)
		if err != nil {
			return false
		}
		err = unix.Bind(fd, sa)
		unix.Close(fd)
		if err != nil {
			return false
		}
	}
	return true
}

// ephemeralRange is the kernel's range for automatic ports,
// /proc/sys/net/ipv4/ip_local_port_range (ip(7)); ok is false where it
// cannot be read.
func ephemeralRange() (low, high int, ok bool) {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 0, 0, false
	}
	f := strings.Fields(string(b))
	if len(f) != 2 {
		return 0, 0, false
	}
	low, err1 := strconv.Atoi(f[0])
	high, err2 := strconv.Atoi(f[1])
	return low, high, err1 == nil && err2 == nil && low <= high
}
