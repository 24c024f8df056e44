package lessons

import (
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseHostPort: any text from a lesson (to=, addr=) or the command
// line: no panic, and an address accepted is a real address with a port
// from 1 to 65535 that reads back as itself from its written form.
func FuzzParseHostPort(f *testing.F) {
	hosts := filepath.Join(f.TempDir(), "hosts")
	os.WriteFile(hosts, []byte("127.0.0.1 localhost\n127.0.1.1 classroom\n::1 ip6-loopback\n"), 0o644)
	old := hostsFile
	hostsFile = hosts
	f.Cleanup(func() { hostsFile = old })
	for _, s := range []string{"127.0.0.1:7788", "[::1]:80", "localhost:1", "classroom:65535", "127.0.0.1:0",
		"127.0.0.1:65536", "[::ffff:127.0.0.1]:9", "[fe80::1%lo]:9", "host", ":80", "1.2.3.4:-1", "[::1]", "0x7f.1:80", "127.1:80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ap, err := ParseHostPort(s)
		if err != nil {
			return
		}
		if !ap.IsValid() || ap.Port() == 0 || ap.Addr().Is4In6() {
			t.Fatalf("ParseHostPort(%q) = %v: invalid, port 0 or not unmapped", s, ap)
		}
		back, err := ParseHostPort(ap.String())
		if err != nil || back != ap {
			t.Fatalf("ParseHostPort(%q) = %v, which reads back as %v, %v", s, ap, back, err)
		}
		if h, p, _ := strings.Cut(s, ":"); !strings.Contains(p, ":") && h != "" {
			if n, err := strconv.Atoi(p); err == nil && n != int(ap.Port()) {
				t.Fatalf("ParseHostPort(%q) port %d", s, ap.Port())
			}
		}
	})
}

// FuzzHostsLookup: any hosts file: no panic, every address found is
// valid and unmapped, and is on a line that names the name.
func FuzzHostsLookup(f *testing.F) {
	f.Add([]byte("127.0.0.1 localhost\n# 10.0.0.1 commented\n::1 ip6-loopback\n127.0.1.1 classroom Classroom.lan # x\n"), "classroom")
	f.Add([]byte("::ffff:10.0.0.1\tmapped\n"), "mapped")
	f.Add([]byte("10.0.0.1 a\r\n10.0.0.2 a\n"), "A")
	f.Add([]byte("not-an-address name\n"), "name")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		got := lookupHosts(data, name)
		for _, a := range got {
			if !a.IsValid() || a.Is4In6() {
				t.Fatalf("lookupHosts gave %v", a)
			}
			found := false
			for _, line := range strings.Split(string(data), "\n") {
				line, _, _ = strings.Cut(line, "#")
				f := strings.Fields(line)
				if len(f) < 2 {
					continue
				}
				if ip, err := netip.ParseAddr(f[0]); err == nil && ip.Unmap() == a {
					for _, n := range f[1:] {
						found = found || strings.EqualFold(n, name)
					}
				}
			}
			if !found {
				t.Fatalf("lookupHosts(%q, %q) gave %v, on no line naming it", data, name, a)
			}
		}
	})
}
