package lessons_test

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/sockstep/sockstep/lessons"
)

// Only IP literals here (and localhost from /etc/hosts): a name that went
// to DNS would leave the machine.
func TestParseHostPort(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // the AddrPort, or "" with err
		err  error
	}{
		{"127.0.0.1:7788", "127.0.0.1:7788", nil},
		{"[::1]:80", "[::1]:80", nil},
		{"[::ffff:127.0.0.1]:80", "127.0.0.1:80", nil},
		{"0.0.0.0:1", "0.0.0.0:1", nil},
		{"192.0.2.1:65535", "192.0.2.1:65535", nil},
		{"127.0.0.1", "", lessons.ErrBadHost},
		{"::1:80", "", lessons.ErrBadHost},
		{"", "", lessons.ErrBadHost},
		{":80", "", lessons.ErrBadHost},
		{"127.0.0.1:0", "", lessons.ErrBadPort},
		{"127.0.0.1:65536", "", lessons.ErrBadPort},
		{"127.0.0.1:-1", "", lessons.ErrBadPort},
		{"127.0.0.1:http", "", lessons.ErrBadPort},
	}
	for _, tt := range tests {
		got, err := lessons.ParseHostPort(tt.in)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("ParseHostPort(%q) = %v, %v; want %v", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got.String() != tt.want {
			t.Errorf("ParseHostPort(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}

func TestParseHostLocalhost(t *testing.T) {
	t.Parallel()
	a, err := lessons.ParseHost("localhost")
	if err != nil || a != netip.MustParseAddr("127.0.0.1") {
		t.Errorf("ParseHost(localhost) = %v, %v; want 127.0.0.1", a, err)
	}
}

func TestParsePort(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{"1": 1, "7788": 7788, "65535": 65535} {
		if got, err := lessons.ParsePort(in); err != nil || got != want {
			t.Errorf("ParsePort(%q) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"0", "65536", "-5", "", "80x", " 80"} {
		if _, err := lessons.ParsePort(in); !errors.Is(err, lessons.ErrBadPort) {
			t.Errorf("ParsePort(%q) = %v, want ErrBadPort", in, err)
		}
	}
}

func TestIsLocal(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"127.0.0.1": true, "127.1.2.3": true, "::1": true,
		"0.0.0.0": true, "::": true, "::ffff:127.0.0.1": true,
		"192.0.2.1": false, "10.0.0.1": false, "8.8.8.8": false,
		"fe80::1": false, "255.255.255.255": false, "224.0.0.1": false,
		"::ffff:192.0.2.1": false,
	}
	for in, want := range tests {
		if got := lessons.IsLocal(netip.MustParseAddr(in)); got != want {
			t.Errorf("IsLocal(%s) = %v, want %v", in, got, want)
		}
	}
}
