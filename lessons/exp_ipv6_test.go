//go:build !windows

package lessons

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/sys/unix"
)

// needIPv6 skips where the machine has no ::1; the lesson then says so,
// which TestIPv6Missing checks.
func needIPv6(t *testing.T) {
	t.Helper()
	l := NewSession(Config{}, nil).newLab()
	defer l.close()
	if why := l.checkIPv6(); why != "" {
		t.Skipf("no ::1 here: %s", why)
	}
}

// The notes' client and server work unchanged over ::1 (ipv6(7)).
func TestIPv6Loopback(t *testing.T) {
	needIPv6(t)
	withLab(t, func(l *lab) {
		res, err := l.loopback6(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if res.Echo != "hello over IPv6" || res.Peer.Addr() != netip.IPv6Loopback() || res.Server.Addr() != netip.IPv6Loopback() {
			t.Errorf("%+v; want the message, from ::1 to ::1", res)
		}
	})
}

// An AF_INET6 listener with IPV6_V6ONLY off accepts an IPv4 client and
// sees it as ::ffff:127.0.0.1 (ipv6(7)); with it on, the IPv4 connect is
// refused. A new socket's IPV6_V6ONLY is net.ipv6.bindv6only.
func TestIPv6DualStack(t *testing.T) {
	needIPv6(t)
	withLab(t, func(l *lab) {
		res, err := l.dualStack(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		mapped := netip.MustParseAddr("::ffff:127.0.0.1")
		if res.MappedPeer.Addr() != mapped || res.MappedLocal.Addr() != mapped {
			t.Errorf("IPv4 client seen as %s, server end %s; want %s both", res.MappedPeer, res.MappedLocal, mapped)
		}
		if res.Bindv6only >= 0 && res.V6onlyDefault != res.Bindv6only {
			t.Errorf("IPV6_V6ONLY %d on a new socket, bindv6only %d", res.V6onlyDefault, res.Bindv6only)
		}
		if !errors.Is(res.V6onlyErr, unix.ECONNREFUSED) {
			t.Errorf("IPv4 connect to a v6-only listener: %v, want ECONNREFUSED", res.V6onlyErr)
		}
	})
}

// localhost is what the hosts file says, in getaddrinfo's order: ::1
// first (RFC 6724 rule 6), so a client reaches a server on ::1 only at
// its first attempt wherever the file lists ::1, and never where it does
// not.
func TestIPv6Localhost(t *testing.T) {
	needIPv6(t)
	dir := t.TempDir()
	v4, v6 := netip.MustParseAddr("127.0.0.1"), netip.IPv6Loopback()
	for _, tc := range []struct {
		file  string
		order []netip.Addr
		want  []error // per attempt
	}{
		{"127.0.0.1 localhost\n::1 localhost ip6-localhost\n", []netip.Addr{v6, v4}, []error{nil}},
		{"::1 ip6-localhost localhost # comment\n127.0.0.1 localhost\n", []netip.Addr{v6, v4}, []error{nil}},
		{"127.0.0.1 localhost\n127.0.1.1 box\n", []netip.Addr{v4}, []error{unix.ECONNREFUSED}},
		// Not loopback: never connected to. (Its place in the order
		// depends on this machine's routes, rule 1: not checked.)
		{"10.9.8.7 localhost\n127.0.0.1 localhost\n", nil, []error{unix.ECONNREFUSED}},
	} {
		path := filepath.Join(dir, "hosts")
		if err := os.WriteFile(path, []byte(tc.file), 0o644); err != nil {
			t.Fatal(err)
		}
		withLab(t, func(l *lab) {
			res, err := l.localhost6(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			if tc.order != nil && !slices.Equal(res.Order, tc.order) {
				t.Errorf("%q: order %v, want %v", tc.file, res.Order, tc.order)
			}
			if len(res.Attempts) != len(tc.want) {
				t.Fatalf("%q: %d attempts %+v, want %d", tc.file, len(res.Attempts), res.Attempts, len(tc.want))
			}
			for i, w := range tc.want {
				if got := res.Attempts[i].Err; (w == nil) != (got == nil) || (w != nil && !errors.Is(got, w)) {
					t.Errorf("%q: attempt %d to %s: %v, want %v", tc.file, i+1, res.Attempts[i].To, got, w)
				}
				if !res.Attempts[i].To.Addr().IsLoopback() {
					t.Errorf("%q: attempt %d to %s, which is not this machine", tc.file, i+1, res.Attempts[i].To)
				}
			}
			if res.Connected != (tc.want[len(tc.want)-1] == nil) {
				t.Errorf("%q: connected %v", tc.file, res.Connected)
			}
			// What the run measured, on screen: the order, and where the
			// file has no IPv6 address, that it has none.
			m := v6Measurement("resolve", res)
			keys := map[string]bool{}
			for _, r := range m.Rows {
				keys[r.Key] = true
			}
			if has6 := slices.Contains(res.Hosts, v6); keys["exp.ipv6.hosts-no6"] == has6 || keys["exp.ipv6.order"] != (len(res.Order) > 1) ||
				keys["exp.ipv6.none-reached"] == res.Connected || keys["exp.ipv6.try-skipped"] != (len(res.Skipped) > 0) {
				t.Errorf("%q: rows %+v", tc.file, m.Rows)
			}
		})
	}
}

// gaiOrder sorts as getaddrinfo does (RFC 6724 §6): rule 1, an address
// with no route last; rule 6, higher precedence first (::1 50, IPv4 35,
// other global IPv6 40, 6to4 30, Teredo 5, ULA 3); rule 10, otherwise
// as given.
func TestGaiOrder(t *testing.T) {
	a := netip.MustParseAddr
	all := func(netip.Addr) bool { return true }
	no6 := func(x netip.Addr) bool { return x.Is4() }
	for _, tc := range []struct {
		in, want []netip.Addr
		usable   func(netip.Addr) bool
	}{
		{[]netip.Addr{a("127.0.0.1"), a("::1")}, []netip.Addr{a("::1"), a("127.0.0.1")}, all},
		{[]netip.Addr{a("::1"), a("127.0.0.1")}, []netip.Addr{a("::1"), a("127.0.0.1")}, all},
		{[]netip.Addr{a("::1"), a("127.0.0.1")}, []netip.Addr{a("127.0.0.1"), a("::1")}, no6},
		{[]netip.Addr{a("127.0.0.2"), a("127.0.0.1")}, []netip.Addr{a("127.0.0.2"), a("127.0.0.1")}, all},
		{[]netip.Addr{a("127.0.0.1"), a("2001:db8::1")}, []netip.Addr{a("2001:db8::1"), a("127.0.0.1")}, all},
		{[]netip.Addr{a("fd00::1"), a("127.0.0.1")}, []netip.Addr{a("127.0.0.1"), a("fd00::1")}, all},
		{[]netip.Addr{a("2002::1"), a("2001::1"), a("127.0.0.1")}, []netip.Addr{a("127.0.0.1"), a("2002::1"), a("2001::1")}, all},
		{[]netip.Addr{a("127.0.0.1"), a("::1"), a("127.0.0.2")}, []netip.Addr{a("::1"), a("127.0.0.1"), a("127.0.0.2")}, all},
		// Rule 8: of one precedence, the smaller scope first (Python's
		// socket.getaddrinfo gives 127.0.0.1 before 10.0.0.5 here).
		{[]netip.Addr{a("10.0.0.5"), a("127.0.0.1")}, []netip.Addr{a("127.0.0.1"), a("10.0.0.5")}, all},
		{[]netip.Addr{a("2001:db8::1"), a("fe80::1")}, []netip.Addr{a("fe80::1"), a("2001:db8::1")}, all},
		{nil, nil, all},
	} {
		if got := gaiOrder(tc.in, tc.usable); !slices.Equal(got, tc.want) {
			t.Errorf("gaiOrder(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	for s, want := range map[string]int{"::1": 2, "127.0.0.1": 2, "169.254.1.1": 2, "fe80::1": 2, "fec0::1": 5,
		"10.0.0.5": 14, "192.168.0.1": 14, "2001:db8::1": 14, "::ffff:127.0.0.1": 2, "ff02::1": 2, "ff05::1": 5} {
		if got := scope(a(s)); got != want {
			t.Errorf("scope(%s) = %d, want %d", s, got, want)
		}
	}
	for s, want := range map[string]int{"::1": 50, "127.0.0.1": 35, "::ffff:10.0.0.1": 35, "2001:db8::1": 40,
		"2002:c000:204::1": 30, "2001::1": 5, "fc00::1": 3, "fd12::1": 3, "::1.2.3.4": 1, "fec0::1": 1, "3ffe::1": 1, "::": 1} {
		if got := precedence(a(s)); got != want {
			t.Errorf("precedence(%s) = %d, want %d", s, got, want)
		}
	}
}

func TestHostsEntries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hosts")
	os.WriteFile(path, []byte("# x\n127.0.0.1 localhost\n::1\tlocalhost ip6-localhost\nfe80::1%lo localhost\n10.0.0.1 other\n"), 0o644)
	got := hostsEntries(path, "LOCALHOST")
	if len(got) != 2 || got[0] != netip.MustParseAddr("127.0.0.1") || got[1] != netip.IPv6Loopback() {
		t.Errorf("hostsEntries = %v", got)
	}
}
