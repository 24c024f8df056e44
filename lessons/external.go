package lessons

import (
	"fmt"
	"net/netip"
	"os/exec"
	"strings"

	"github.com/sockstep/sockstep/content"
)

// externalCommands prints ready-to-paste commands with which the learner
// plays the other party from a second terminal: one with python3 (the
// language of the source notes), and one with nc where nc is installed. They only ever name the
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
	for i, c := range ExternalCommands(role, addr, text) {
		if i > 0 && !ncInstalled() {
			continue // many machines have no nc; python3 is the first
		}
		s.ui.Command(c)
	}
}

// ncInstalled reports whether nc is on PATH (a variable for tests).
var ncInstalled = func() bool {
	_, err := exec.LookPath("nc")
	return err == nil
}

// ExternalCommands returns shell commands that play role against addr:
// a python3 one, which behaves as the lesson expects, then the same with
// nc (printed only where nc is installed), which leaves the replying and
// the hanging up to the learner.
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
		// A server as the lessons' clients expect one: it prints what
		// each call brings and answers it, and hangs up only once the
		// caller has (recv returns b''), so that the caller, who closes
		// first, is the side left in TIME_WAIT (tcp(7)). A server that
		// closed with the caller's bytes unread would send RST instead.
		return []string{
			fmt.Sprintf(`python3 -c "import socket; s=socket.socket(%s, socket.SOCK_STREAM); s.bind(%s); s.listen(128); c,a=s.accept(); [print(a, d) or c.sendall(b'ok') for d in iter(lambda: c.recv(1024), b'')]; c.close(); s.close()"`, fam, pyAddr),
			fmt.Sprintf("nc -l %s %d", host, port),
		}
	case "tcp-client":
		return []string{
			// Like nc, a conversation: each line typed is sent and its reply
			// printed, Ctrl-D hangs up. A one-shot client would close while
			// the lesson's server still has steps to go.
			fmt.Sprintf(`python3 -c "import socket,sys; s=socket.socket(%s, socket.SOCK_STREAM); s.connect(%s); [print(s.sendall(l.strip().encode()) or s.recv(1024).decode(errors='replace')) for l in sys.stdin]; s.close()"`, fam, pyAddr),
			fmt.Sprintf("nc %s %d", host, port),
		}
	case "udp-sender":
		return []string{
			fmt.Sprintf(`python3 -c "import socket; s=socket.socket(%s, socket.SOCK_DGRAM); s.sendto('%s'.encode(), %s); s.close()"`, fam, text, pyAddr),
			fmt.Sprintf("printf '%%s' '%s' | nc -u -w1 %s %d", text, host, port),
		}
	case "udp-receiver":
		return []string{
			fmt.Sprintf(`python3 -c "import socket; s=socket.socket(%s, socket.SOCK_DGRAM); s.bind(%s); [print(*s.recvfrom(1024)) for _ in iter(int, 1)]"`, fam, pyAddr),
			fmt.Sprintf("nc -u -l %s %d", host, port),
		}
	}
	return nil
}
