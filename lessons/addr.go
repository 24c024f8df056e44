package lessons

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// sockaddr converts an address to the kernel's form for family.
func sockaddr(family int, ap netip.AddrPort) (unix.Sockaddr, error) {
	ip := ap.Addr()
	switch family {
	case unix.AF_INET:
		if !ip.Unmap().Is4() {
			return nil, fmt.Errorf("%s is not an IPv4 address: %w", ip, ErrFamily)
		}
		return &unix.SockaddrInet4{Port: int(ap.Port()), Addr: ip.Unmap().As4()}, nil
	case unix.AF_INET6:
		return &unix.SockaddrInet6{Port: int(ap.Port()), Addr: ip.As16()}, nil
	}
	return nil, fmt.Errorf("address family %d: %w", family, ErrFamily)
}

// addrPort converts a kernel address back; ok is false for anything that
// is not an internet address (for example, an unbound socket on some
// systems).
func addrPort(sa unix.Sockaddr) (netip.AddrPort, bool) {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(a.Addr), uint16(a.Port)), true
	case *unix.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(a.Addr).Unmap(), uint16(a.Port)), true
	}
	return netip.AddrPort{}, false
}

// ErrFamily means an address does not fit the socket's family (an IPv6
// address for an IPv4 socket, say).
var ErrFamily = errors.New("the address does not fit the socket's address family")

// ErrNotLocal means an address outside this machine was asked for without
// the opt-in flag.
var ErrNotLocal = errors.New("sockstep only talks to this machine (127.0.0.0/8 or ::1) unless it is started with a non-loopback --host")

// ErrBadHost means a host name could not be turned into an address.
var ErrBadHost = errors.New("the host is not an IP address or a name this machine can resolve")

// ErrBadPort means a port number out of range.
var ErrBadPort = errors.New("a port is a whole number from 1 to 65535")

// ParseHost accepts an IP literal or a host name and returns one address.
// Names are resolved with the system resolver; "localhost" never leaves the
// machine.
func ParseHost(s string) (netip.Addr, error) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), nil
	}
	if s == "" {
		return netip.Addr{}, fmt.Errorf("%q: %w", s, ErrBadHost)
	}
	// Names come from the hosts file only: asking DNS would send a query
	// off this machine, which sockstep never does.
	ips := hostsLookup(hostsFile, s)
	if len(ips) == 0 {
		return netip.Addr{}, fmt.Errorf("%q: %w", s, ErrBadHost)
	}
	for _, a := range ips { // prefer IPv4, as the lessons do
		if a.Is4() {
			return a, nil
		}
	}
	return ips[0], nil
}

// hostsFile is where names are looked up.
var hostsFile = "/etc/hosts"

// hostsLookup returns the addresses the hosts file gives name; "localhost"
// is always 127.0.0.1, whatever the file says.
func hostsLookup(path, name string) []netip.Addr {
	if strings.EqualFold(name, "localhost") {
		return []netip.Addr{netip.AddrFrom4([4]byte{127, 0, 0, 1})}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return lookupHosts(data, name)
}

// lookupHosts finds name in the text of a hosts file: "ADDRESS NAME
// ALIAS...", one entry a line, "#" starting a comment (hosts(5)), in the
// file's order, each line once. An address with a zone (fe80::1%eth0)
// names an interface, never loopback: it is passed over.
func lookupHosts(data []byte, name string) []netip.Addr {
	var out []netip.Addr
	for _, line := range strings.Split(string(data), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		a, err := netip.ParseAddr(f[0])
		if err != nil || a.Zone() != "" {
			continue
		}
		if slices.ContainsFunc(f[1:], func(n string) bool { return strings.EqualFold(n, name) }) {
			out = append(out, a.Unmap())
		}
	}
	return out
}

// ParsePort reads a port number.
func ParsePort(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("%q: %w", s, ErrBadPort)
	}
	return n, nil
}

// ParseHostPort reads "HOST:PORT" or "[V6]:PORT".
func ParseHostPort(s string) (netip.AddrPort, error) {
	h, p, err := net.SplitHostPort(s)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("%q is not HOST:PORT: %w", s, ErrBadHost)
	}
	ip, err := ParseHost(h)
	if err != nil {
		return netip.AddrPort{}, err
	}
	port, err := ParsePort(p)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return netip.AddrPortFrom(ip, uint16(port)), nil
}

// IsLocal reports whether traffic to a stays on this machine without the
// classroom opt-in: loopback addresses, and the wildcard address, which as
// a destination means this machine.
func IsLocal(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsLoopback() || a.IsUnspecified()
}

// loopbackFor maps a wildcard address to the loopback address of the same
// family, which is where a peer on this machine reaches a socket bound to
// the wildcard.
func loopbackFor(a netip.Addr) netip.Addr {
	if !a.IsUnspecified() {
		return a
	}
	if a.Is4() {
		return netip.MustParseAddr("127.0.0.1")
	}
	return netip.IPv6Loopback()
}

// familyOf returns the socket family for an address.
func familyOf(a netip.Addr) int {
	if a.Unmap().Is4() {
		return unix.AF_INET
	}
	return unix.AF_INET6
}
