package lessons

import (
	"net/netip"
	"testing"
)

// The closed port lies above the ephemeral range, where the kernel gives
// no socket a port by itself, and is closed for both protocols.
func TestClosedPortAboveEphemeralRange(t *testing.T) {
	_, high, ok := ephemeralRange()
	if !ok {
		t.Fatal("ip_local_port_range cannot be read on Linux")
	}
	if high >= 65535-100 {
		t.Skipf("the ephemeral range ends at %d: no room above it", high)
	}
	for range 20 {
		p, err := closedPort(netip.MustParseAddr("127.0.0.1"))
		if err != nil {
			t.Fatal(err)
		}
		if int(p.Port()) <= high || p.Addr() != netip.MustParseAddr("127.0.0.1") {
			t.Fatalf("closedPort = %s, want 127.0.0.1 and a port above %d", p, high)
		}
		for _, proto := range []Proto{TCP, UDP} {
			if held, known := listeningOn(proto, p); held || !known {
				t.Errorf("%s %s: listening %v (known %v), want a closed port", proto, p, held, known)
			}
		}
	}
	if p, err := closedPort(netip.MustParseAddr("::1")); err == nil && p.Addr() != netip.MustParseAddr("::1") {
		t.Errorf("closedPort(::1) = %s", p)
	}
}
