//go:build linux

package lessons

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// Where lo has no ::1 (here: a private network namespace, made as root
// with unshare(1), whose lo is up with net.ipv6.conf.lo.disable_ipv6=1),
// the steps that need ::1 say so and what they did not run; the
// dual-stack step, which needs only AF_INET6 sockets (a listener on [::],
// an IPv4 client), runs; and localhost's ::1 is sorted last, since the
// machine has no route to it (RFC 6724 rule 1).
func TestIPv6Missing(t *testing.T) {
	if os.Getenv("SOCKSTEP_TEST_NO_IPV6") == "" {
		unshare, err := exec.LookPath("unshare")
		if err != nil || os.Geteuid() != 0 {
			t.Skip("needs root and unshare(1) to make a namespace without ::1")
		}
		exe, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.CommandContext(t.Context(), unshare, "--net", exe, "-test.run=^TestIPv6Missing$", "-test.v")
		cmd.Env = append(os.Environ(), "SOCKSTEP_TEST_NO_IPV6=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestIPv6Missing") {
			t.Fatalf("child in a namespace without ::1: %v\n%s", err, out)
		}
		return
	}
	if err := loopbackUp(65536); err != nil {
		t.Fatal(err)
	}
	if err := netSysctl("ipv6/conf/lo/disable_ipv6", "1"); err != nil {
		t.Fatal(err)
	}
	hosts := filepath.Join(t.TempDir(), "hosts")
	if err := os.WriteFile(hosts, []byte("127.0.0.1 localhost\n::1 localhost ip6-localhost\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	v4, v6 := netip.MustParseAddr("127.0.0.1"), netip.IPv6Loopback()
	for _, c := range []string{"loopback", "dualstack", "resolve"} {
		l := NewSession(Config{}, nil).newLab()
		var res v6Result
		var err error
		switch c {
		case "loopback":
			res, err = l.loopback6(context.Background())
		case "dualstack":
			res, err = l.dualStack(context.Background())
		default:
			res, err = l.localhost6(context.Background(), hosts)
		}
		l.close()
		if err != nil {
			t.Fatalf("%s without ::1: %v", c, err)
		}
		m := v6Measurement(c, res)
		last := m.Rows[len(m.Rows)-1]
		switch c {
		case "dualstack":
			mapped := netip.MustParseAddr("::ffff:127.0.0.1")
			if res.Missing != "" || res.MappedPeer.Addr() != mapped || !errors.Is(res.V6onlyErr, unix.ECONNREFUSED) {
				t.Errorf("dualstack without ::1: %+v; want it run: the IPv4 client seen as %s, refused with IPV6_V6ONLY", res, mapped)
			}
			if last.Key != "exp.ipv6.v6only" {
				t.Errorf("dualstack: rows %+v end without the IPV6_V6ONLY result", m.Rows)
			}
		case "resolve":
			if !slices.Equal(res.Order, []netip.Addr{v4, v6}) || !slices.Equal(res.Unusable, []netip.Addr{v6}) {
				t.Errorf("resolve without ::1: order %v, no route to %v; want 127.0.0.1 first, ::1 last for want of a route", res.Order, res.Unusable)
			}
			if !slices.ContainsFunc(m.Rows, func(r Row) bool { return r.Key == "exp.ipv6.unusable" }) {
				t.Errorf("resolve: rows %+v do not say ::1 has no route", m.Rows)
			}
			fallthrough
		default:
			if res.Missing == "" || len(res.Attempts) != 0 || last.Key != "exp.ipv6.missing" {
				t.Errorf("%s without ::1: %+v, rows %+v; want the reason last, no connect", c, res, m.Rows)
			}
		}
	}
}
