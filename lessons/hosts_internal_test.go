package lessons

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
)

// Names are looked up in the hosts file only: no DNS query ever leaves
// the machine, and a name that is not there is a clear error.
func TestHostsLookup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hosts")
	os.WriteFile(path, []byte("127.0.0.1 localhost\n# 10.0.0.1 commented\n::1 ip6-loopback\n127.0.1.1 classroom Classroom.lan # the teacher's\n"), 0o644)
	old := hostsFile
	hostsFile = path
	defer func() { hostsFile = old }()
	tests := []struct {
		name string
		want string // "" for ErrBadHost
	}{
		{"classroom", "127.0.1.1"},
		{"CLASSROOM.lan", "127.0.1.1"},
		{"ip6-loopback", "::1"},
		{"localhost", "127.0.0.1"},
		{"commented", ""},
		{"example.com", ""},
	}
	for _, tt := range tests {
		got, err := ParseHost(tt.name)
		if tt.want == "" {
			if !errors.Is(err, ErrBadHost) {
				t.Errorf("ParseHost(%q) = %v, %v; want ErrBadHost", tt.name, got, err)
			}
			continue
		}
		if err != nil || got != netip.MustParseAddr(tt.want) {
			t.Errorf("ParseHost(%q) = %v, %v; want %s", tt.name, got, err, tt.want)
		}
	}
}

// foreignUnicast is the rule for bind's expect=EADDRNOTAVAIL exception:
// only a unicast address the machine does not own, with non-local binding
// off (Linux's inet_bind accepts local, multicast and broadcast addresses).
func TestForeignUnicast(t *testing.T) {
	own := []netip.Prefix{
		netip.MustParsePrefix("127.0.0.1/8"),
		netip.MustParsePrefix("10.1.2.3/24"),
		netip.MustParsePrefix("172.16.0.5/31"),
		netip.MustParsePrefix("2001:db8::5/64"),
	}
	tests := []struct {
		addr     string
		nonlocal bool
		want     bool
	}{
		{"192.0.2.1", false, true},
		{"192.0.2.255", false, true}, // not a subnet of ours: unicast to the kernel
		{"2001:db8:1::1", false, true},
		{"::ffff:192.0.2.1", false, true},
		{"192.0.2.1", true, false}, // ip_nonlocal_bind: the bind would succeed
		{"10.1.2.3", false, false}, // ours
		{"10.1.2.255", false, false},
		{"10.1.2.0", false, false},
		{"10.1.2.77", false, true},
		{"172.16.0.4", false, true}, // a /31 has no broadcast address
		{"2001:db8::5", false, false},
		{"224.0.0.1", false, false},
		{"239.255.0.1", false, false},
		{"255.255.255.255", false, false},
		{"0.1.2.3", false, false},
		{"0.0.0.0", false, false},
		{"127.0.0.2", false, false},
		{"169.254.1.1", false, false},
		{"ff02::1", false, false},
		{"fe80::1", false, false},
		{"::", false, false},
	}
	for _, tt := range tests {
		if got := foreignUnicast(netip.MustParseAddr(tt.addr), own, tt.nonlocal); got != tt.want {
			t.Errorf("foreignUnicast(%s, nonlocal=%v) = %v, want %v", tt.addr, tt.nonlocal, got, tt.want)
		}
	}
}
