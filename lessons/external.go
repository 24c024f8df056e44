package lessons

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/sockstep/sockstep/content"
)

// externalCommands prints ready-to-paste commands with which the learner
// plays the other party from a second terminal: one with nc, one with
// python3 (the language of the source notes). They only ever name the
// session's own address.
func (s *Session) externalCommands(ds []content.Directive) {
	if s.cfg.Role != "" {
		// Once per party the other terminal plays, not at every step.
		if len(peerSockets(ds)) > 0 {
			s.ui.Note("role.other-terminal")
			for _, c := range s.cfg.PairCommands {
				s.ui.Command(c)
			}
		}
		return
	}
	role := externalRole(ds)
	var addr netip.AddrPort
	text := "hello"
	for _, d := range ds {
		sp, rd, _ := resolve(d)
		a := args{sp, rd}
		switch d.Action {
		case "bind":
			if k := s.Socket(a.get("name")); k != nil {
				addr = k.Local
			}
		case "connect", "sendto":
			if t, err := s.target(a.get("to")); err == nil {
				addr = t
			}
			if v := a.get("text"); v != "" {
				text = v
			}
		}
	}
	if !addr.IsValid() {
		addr = netip.AddrPortFrom(loopbackFor(s.cfg.Host), uint16(s.cfg.Port))
	}
	for _, c := range ExternalCommands(role, addr, text) {
		s.ui.Command(c)
	}
}

// ExternalCommands returns shell commands that play role against addr.
func ExternalCommands(role string, addr netip.AddrPort, text string) []string {
	// The text goes inside quotes of a shell and of Python: keep only what
	// needs no escaping in either.
	text = strings.Map(func(r rune) rune {
		if strings.ContainsRune("'\"\\$`!", r) || r < 0x20 {
			return -1
		}
		return r
	}, text)
	host := addr.Addr().String()
	port := addr.Port()
	fam := "socket.AF_INET"
	if addr.Addr().Is6() {
		fam = "socket.AF_INET6"
	}
	pyAddr := fmt.Sprintf("('%s', %d)", host, port)
	switch role {
	case "tcp-server":
		return []string{
			fmt.Sprintf("nc -l %s %d", host, port),
			fmt.Sprintf(`python3 -c "import socket; s=socket.socket(%s, socket.SOCK_STREAM); s.bind(%s); s.listen(128); c,a=s.accept(); print(a, c.recv(1024)); c.sendall(b'ok'); c.close(); s.close()"`, fam, pyAddr),
		}
	case "tcp-client":
		return []string{
			fmt.Sprintf("nc %s %d", host, port),
			// Like nc, a conversation: each line typed is sent and its reply
			// printed, Ctrl-D hangs up. A one-shot client would close while
			// the lesson's server still has steps to go.
			fmt.Sprintf(`python3 -c "import socket,sys; s=socket.socket(%s, socket.SOCK_STREAM); s.connect(%s); [print(s.sendall(l.strip().encode()) or s.recv(1024).decode(errors='replace')) for l in sys.stdin]; s.close()"`, fam, pyAddr),
		}
	case "udp-sender":
		return []string{
			fmt.Sprintf("printf '%%s' '%s' | nc -u -w1 %s %d", text, host, port),
			fmt.Sprintf(`python3 -c "import socket; s=socket.socket(%s, socket.SOCK_DGRAM); s.sendto('%s'.encode(), %s); s.close()"`, fam, text, pyAddr),
		}
	case "udp-receiver":
		return []string{
			fmt.Sprintf("nc -u -l %s %d", host, port),
			fmt.Sprintf(`python3 -c "import socket; s=socket.socket(%s, socket.SOCK_DGRAM); s.bind(%s); [print(*s.recvfrom(1024)) for _ in iter(int, 1)]"`, fam, pyAddr),
		}
	}
	return nil
}
