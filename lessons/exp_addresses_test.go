//go:build !windows

package lessons

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"
)

// ip(7): a listener bound to one address is reached only there;
// INADDR_ANY at every local address.
func TestAddressesReach(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.bindReach(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := map[netip.Addr][2]bool{ // reached at 127.0.0.1, at 127.0.0.2
			labHost: {true, false}, netip.IPv4Unspecified(): {true, true}, labHost2: {false, true},
		}
		for _, r := range res {
			w := want[r.Bound.Addr()]
			for i, try := range r.To {
				if got := try.Err == nil; got != w[i] {
					t.Errorf("bound to %s, connect to %s: %v", r.Bound, try.Addr, try.Err)
				}
				if try.Err != nil && !errors.Is(try.Err, unix.ECONNREFUSED) {
					t.Errorf("connect to %s: %v, want ECONNREFUSED", try.Addr, try.Err)
				}
			}
		}
	})
}

// Every accepted socket has the listener's address and port; the peer
// half of the four-tuple is the client's own address.
func TestAddressesFourTuple(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.fourTuple(context.Background(), 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Conns) != 2 || res.Conns[0].Peer == res.Conns[1].Peer {
			t.Fatalf("%+v: want two connections with different peers", res.Conns)
		}
		for _, c := range res.Conns {
			if c.Local != res.Listener || c.Peer != c.Client {
				t.Errorf("accepted %+v, listener %s", c, res.Listener)
			}
		}
	})
}

// TCP and UDP ports are separate; two TCP sockets cannot bind one.
func TestAddressesPortSpaces(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.portSpaces()
		if err != nil {
			t.Fatal(err)
		}
		if res.UDPErr != nil || !errors.Is(res.TCP2Err, unix.EADDRINUSE) {
			t.Errorf("port %d: UDP bind %v (want success), second TCP bind %v (want EADDRINUSE)", res.Port, res.UDPErr, res.TCP2Err)
		}
	})
}

// An unbound client's port comes from ip_local_port_range (ip(7)); UDP
// binds at its first sendto, to the any-address (udp(7)).
func TestAddressesEphemeral(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.ephemeral(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if res.Low == 0 || res.High < res.Low {
			t.Fatalf("ip_local_port_range %d %d", res.Low, res.High)
		}
		for _, p := range []int{int(res.TCP.Port()), int(res.UDP.Port())} {
			if p < res.Low || p > res.High {
				t.Errorf("port %d outside %d–%d", p, res.Low, res.High)
			}
		}
		if res.UDPBefore.Port() != 0 || res.UDP.Addr() != netip.IPv4Unspecified() {
			t.Errorf("UDP before sendto %s, after %s; want port 0, then 0.0.0.0:port", res.UDPBefore, res.UDP)
		}
	})
}
