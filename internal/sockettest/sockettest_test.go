package sockettest

import (
	"net"
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
