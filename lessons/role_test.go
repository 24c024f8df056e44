//go:build !windows

package lessons

import (
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"
)

// listeningOn reads the kernel's own tables: a listening TCP socket and a
// bound UDP socket are found at their address, and at the wildcard; a
// port nothing holds is not.
func TestListeningOn(t *testing.T) {
	bound := func(typ int, listen bool) (int, netip.AddrPort) {
		fd, err := unix.Socket(unix.AF_INET, typ, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { unix.Close(fd) })
		if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
			t.Fatal(err)
		}
		if listen {
			if err := unix.Listen(fd, 1); err != nil {
				t.Fatal(err)
			}
		}
		sa, _ := unix.Getsockname(fd)
		ap, _ := addrPort(sa)
		return fd, ap
	}
	_, tcp := bound(unix.SOCK_STREAM, true)
	_, udp := bound(unix.SOCK_DGRAM, false)
	_, quiet := bound(unix.SOCK_STREAM, false) // bound, not listening
	closed, err := closedPort(netip.MustParseAddr("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, known := listeningOn(TCP, tcp); !known {
		t.Skip("the kernel's socket tables cannot be read here")
	}
	for _, c := range []struct {
		name  string
		proto Proto
		addr  netip.AddrPort
		want  bool
	}{
		{"listening tcp", TCP, tcp, true},
		{"bound udp", UDP, udp, true},
		{"tcp bound but not listening", TCP, quiet, false},
		{"udp port as tcp", TCP, udp, false},
		{"closed port", TCP, closed, false},
		{"closed port udp", UDP, closed, false},
	} {
		if got, _ := listeningOn(c.proto, c.addr); got != c.want {
			t.Errorf("%s: listeningOn(%s, %s) = %v, want %v", c.name, c.proto, c.addr, got, c.want)
		}
	}
}
