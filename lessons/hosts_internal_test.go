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
