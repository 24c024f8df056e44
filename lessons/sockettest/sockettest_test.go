package sockettest

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"testing"
)

// A socket opened shows in Sockets and FDs, and is gone once closed; the
// port FreePort gives can be bound with TCP and UDP.
func TestCounts(t *testing.T) {
	port := FreePort(t)
	socks, all := len(Sockets(t)), FDs(t)
	l, err := net.Listen("tcp4", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	u, err := net.ListenPacket("udp4", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(Sockets(t)); got != socks+2 {
		t.Errorf("Sockets with two more open = %d, want %d", got, socks+2)
	}
	if got := FDs(t); got < all+2 {
		t.Errorf("FDs with two more open = %d, want at least %d", got, all+2)
	}
	l.Close()
	u.Close()
	if got := len(Sockets(t)); got != socks {
		t.Errorf("Sockets after closing = %d, want %d", got, socks)
	}
}

// TestFreePortOutsideEphemeralRange: the ports FreePort hands out are never
// ones the kernel could give a connect as its source port, never the same
// twice in one process, and free for both protocols.
func TestFreePortOutsideEphemeralRange(t *testing.T) {
	lo, _ := candidateRange()
	start := 32768
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		fmt.Sscan(string(b), &start)
	}
	seen := map[int]bool{}
	for range 100 {
		p := FreePort(t)
		if seen[p] {
			t.Fatalf("port %d handed out twice", p)
		}
		seen[p] = true
		if lo < start && (p < lo || p >= start) {
			t.Fatalf("port %d is outside %d–%d, below the ephemeral range", p, lo, start-1)
		}
		if !free(p) {
			t.Fatalf("port %d is not free", p)
		}
	}
}
