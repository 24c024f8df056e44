package lessons_test

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
)

// Preview shows the call a directive is about to make, with names for
// sockets not created yet and descriptors for the ones that are.
func TestPreview(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	port := s.Config().Port
	before := []struct{ line, want string }{
		{"socket rx udp", "rx = socket(AF_INET, SOCK_DGRAM, 0)"},
		{"socket srv tcp family=6", "srv = socket(AF_INET6, SOCK_STREAM, 0)"},
		{"bind rx", fmt.Sprintf("bind(rx, 127.0.0.1:%d)", port)},
		{"bind rx port=9", "bind(rx, 127.0.0.1:9)"},
		{"bind w addr=192.0.2.1:9 expect=EADDRNOTAVAIL", "bind(w, 192.0.2.1:9)   # → EADDRNOTAVAIL"},
		{"listen srv", "listen(srv, 128)"},
		{"listen srv backlog=5", "listen(srv, 5)"},
		{"accept srv as=conn", "conn, addr = accept(srv)"},
		{"connect c", fmt.Sprintf("connect(c, 127.0.0.1:%d)", port)},
		{"connect c to=closed expect=ECONNREFUSED", "connect(c, 127.0.0.1:<closed>)   # → ECONNREFUSED"},
		{"connect c to=0.0.0.0:80", "connect(c, 127.0.0.1:80)"},
		{`send c text="hi"`, `send(c, "hi", 0)`},
		{"recv conn", "data = recv(conn, 1024, 0)"},
		{"recv conn size=10", "data = recv(conn, 10, 0)"},
		{`sendto tx to=127.0.0.1:9 text="a|b"`, `sendto(tx, "a", 0, 127.0.0.1:9)`},
		{`sendto tx to=127.0.0.1:9 text="a|b" repeat=yes`, `loop until exit: sendto(tx, "a", 0, 127.0.0.1:9)`},
		{"recvfrom rx", "data, addr = recvfrom(rx, 1024, 0)"},
		{"close c", "close(c)"},
		{"shutdown c", "shutdown(c, SHUT_WR)"},
		{"shutdown c how=rd", "shutdown(c, SHUT_RD)"},
		{"shutdown c how=rdwr", "shutdown(c, SHUT_RDWR)"},
		{"inspect a b", "# inspect a b"},
		{"addrs", "getifaddrs()"},
	}
	for _, tt := range before {
		if got := s.Preview(directive(t, tt.line)); got != tt.want {
			t.Errorf("Preview(%s) = %q, want %q", tt.line, got, tt.want)
		}
	}
	if got := s.Preview(content.Directive{Action: "fly", Pos: []string{"away"}}); got != "fly away" {
		t.Errorf("Preview of an unknown action = %q", got)
	}
	if len(ui.calls) != 0 || len(s.Sockets()) != 0 {
		t.Errorf("Preview ran something: %+v", ui.calls)
	}

	// Once the sockets exist, the preview shows their descriptors and
	// addresses.
	mustStep(t, s, "socket rx udp", "bind rx port=0", "socket tx udp")
	rx, tx := s.Socket("rx"), s.Socket("tx")
	after := []struct{ line, want string }{
		{"recvfrom rx", fmt.Sprintf("data, addr = recvfrom(%d, 1024, 0)", rx.FD)},
		{`sendto tx to=rx text="long text that goes on and on, beyond forty bytes"`,
			fmt.Sprintf(`sendto(%d, "long text that goes on and on, beyond fo"…(49 bytes), 0, %s)`, tx.FD, rx.Local)},
		{"close rx", fmt.Sprintf("close(%d)", rx.FD)},
	}
	for _, tt := range after {
		if got := s.Preview(directive(t, tt.line)); got != tt.want {
			t.Errorf("Preview(%s) = %q, want %q", tt.line, got, tt.want)
		}
	}
	mustStep(t, s, "close rx")
	if got := s.Preview(directive(t, "close rx")); got != "close(rx)" {
		t.Errorf("Preview of a closed socket = %q, want its name", got)
	}
}

func TestPreviewIPv6Session(t *testing.T) {
	t.Parallel()
	s := lessons.NewSession(lessons.Config{Host: netip.IPv6Loopback(), Port: 9}, nil)
	tests := []struct{ line, want string }{
		{"socket rx udp", "rx = socket(AF_INET6, SOCK_DGRAM, 0)"},
		{"socket rx udp family=4", "rx = socket(AF_INET, SOCK_DGRAM, 0)"},
		{"bind rx", "bind(rx, [::1]:9)"},
		{"connect c", "connect(c, [::1]:9)"},
		// The closed port is found on the session's loopback, ::1 here.
		{"connect c to=closed", "connect(c, [::1]:<closed>)"},
	}
	for _, tt := range tests {
		if got := s.Preview(directive(t, tt.line)); got != tt.want {
			t.Errorf("Preview(%s) = %q, want %q", tt.line, got, tt.want)
		}
	}
}
