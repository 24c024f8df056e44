package lessons

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons/sock"
	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// Answers to the "who plays the other side?" question.
const (
	ChoiceSockstep = "peer.choice.sockstep"
	ChoiceMe       = "peer.choice.me"
)

// RunStep runs the directives of one lesson step in order, then reports
// what the kernel says about every socket the step touched.
//
// When the step opens a socket for the other party (socket ... by=peer),
// the learner may choose to play that party from another terminal; the
// step then prints a ready-to-paste command instead, and every later
// directive on that socket is left to the learner.
func (s *Session) RunStep(ctx context.Context, ds []content.Directive) error {
	for _, d := range ds {
		if err := Validate(d); err != nil {
			return err
		}
	}
	if peers := peerSockets(ds); len(peers) > 0 {
		role := externalRole(ds)
		ans := ChoiceMe // two terminals: the other one plays every peer
		if s.cfg.Role == "" {
			var err error
			ans, err = s.ui.Ask(ctx, Question{Key: "peer.who." + role, Default: ChoiceSockstep, Choices: []string{ChoiceSockstep, ChoiceMe}})
			if err != nil {
				return err
			}
		}
		if ans == ChoiceMe {
			for _, n := range peers {
				s.add(&Socket{Name: n, FD: -1, Peer: true, External: true, Proto: peerProto(ds, n), Side: Client})
			}
		}
	}
	from := s.stepStart()
	var touched []string
	seen := map[string]bool{}
	touch := func(n string) {
		if n != "" && !seen[n] {
			seen[n] = true
			touched = append(touched, n)
		}
	}
	// external: the learner plays a party from another terminal in this
	// step. The commands to paste are printed with the first thing it is
	// their turn to do, before any call of ours that waits for them.
	external, printed := false, false
	noted := map[string]bool{} // each "your turn" note once a step
	for _, d := range ds {
		a, _ := argsOf(d) // Validate above
		if name := a.subject(); name != "" {
			if k := s.Socket(name); k != nil && k.External {
				s.skipExternal(k, a, noted)
				external = true
				if !printed && a.sp.yourTurn() {
					s.externalCommands(ds)
					printed = true
				}
				local, err := s.awaitEffect(ctx, a, k)
				if err != nil {
					return err
				}
				if local != nil {
					touch(local.Name)
				}
				continue
			}
		}
		if s.hungUpSkip(d.Action, a.subject()) {
			continue
		}
		if err := s.Run(ctx, d); err != nil {
			return err
		}
		if k := s.Socket(a.subject()); k != nil && (d.Action == "listen" || d.Action == "bind" && k.Proto == UDP) {
			s.remindReachable(k)
		}
		for _, n := range a.sockets(SocketUsed) {
			touch(n)
		}
		for _, n := range a.sockets(SocketCreated) {
			touch(n)
		}
		for _, to := range a.sockets(SocketOrAddr) {
			if s.Socket(to) != nil {
				touch(to)
			}
		}
	}
	if external && !printed {
		s.externalCommands(ds)
	}
	s.noteStates()
	s.wireStep(from)
	if len(touched) > 0 {
		s.ui.Facts(s.Inspect(touched...))
	}
	s.reveal()
	return nil
}

// Run runs one directive. A directive with expect=ERRNO succeeds when the
// call fails with exactly that errno: the lesson meant to show it.
func (s *Session) Run(ctx context.Context, d content.Directive) error {
	if err := Validate(d); err != nil {
		return err
	}
	sp, d, err := resolve(d)
	if err != nil {
		return err
	}
	s.expect = 0
	if e, ok := d.Args["expect"]; ok {
		s.expect, _ = errnoByName(e)
	}
	defer func() { s.expect = 0 }()
	err = sp.run(ctx, s, args{sp, d})
	if s.expect != 0 {
		if err != nil && ErrnoOf(err) == s.expect {
			return nil
		}
		if err == nil {
			s.ui.Note("step.expected-but-ok", ErrnoName(s.expect))
		}
	}
	return err
}

func peerSockets(ds []content.Directive) []string {
	var out []string
	for _, d := range ds {
		if d.Action == "socket" && d.Args["by"] == "peer" && len(d.Pos) > 0 {
			out = append(out, d.Pos[0])
		}
	}
	return out
}

func peerProto(ds []content.Directive, name string) Proto {
	for _, d := range ds {
		if d.Action == "socket" && len(d.Pos) > 1 && d.Pos[0] == name {
			return Proto(d.Pos[1])
		}
	}
	return TCP
}

// externalRole names the part the learner would play: what the peer
// directives of the step do.
func externalRole(ds []content.Directive) string {
	has := map[string]bool{}
	for _, d := range ds {
		has[d.Action] = true
	}
	proto := "tcp"
	for _, n := range peerSockets(ds) {
		proto = string(peerProto(ds, n))
	}
	switch {
	case has["listen"]:
		return "tcp-server"
	case has["connect"] && proto == "tcp":
		return "tcp-client"
	case has["sendto"]:
		return "udp-sender"
	case has["bind"] && proto == "udp":
		return "udp-receiver"
	}
	return proto + "-peer"
}

// skipExternal leaves a directive to the learner's own program, keeping
// the address it would have bound so that later steps can reach it, and
// tells the learner what their program does now (once a step: closing
// the connection and the listening socket is one thing to do).
func (s *Session) skipExternal(k *Socket, a args, noted map[string]bool) {
	switch a.d.Action {
	case "bind":
		if addr, err := s.bindAddr(a); err == nil {
			if addr.Port() == 0 {
				// port=0: the kernel would pick a free port for our own
				// socket. The learner's program is told one the kernel
				// says is free now, so that the commands to paste, and
				// every later step that reaches it, name a real port.
				if p, err := freePort(k.Proto, addr.Addr()); err == nil {
					addr = netip.AddrPortFrom(addr.Addr(), p)
				}
			}
			k.Local = addr
			k.Side = Server
		}
	case "listen":
		k.Side = Server
	case "accept":
		// The connection the learner's own server accepts is theirs too.
		conn := &Socket{Name: a.get("as"), FD: -1, Peer: true, External: true, Proto: k.Proto, Side: Server}
		s.linkAccepted(k, conn)
		s.add(conn)
	}
	if !a.sp.yourTurn() {
		return // a socket created: announced with the commands
	}
	if s.cfg.Role != "" {
		return // the other terminal shows its own steps
	}
	key := "peer.your-turn." + a.d.Action
	if k.Side == Server && (a.d.Action == "send" || a.d.Action == "recv" || a.d.Action == "close") {
		// The learner's server answers and hangs up by itself (the
		// python3 one) rather than at the learner's keys.
		key += ".server"
	}
	if !noted[key] {
		noted[key] = true
		s.ui.Note(key)
	}
}

// bindAddr is the address a bind directive asks for: the session's host
// and port unless addr= or port= say otherwise. Binding a non-loopback
// address needs the classroom opt-in, except to show that it fails.
func (s *Session) bindAddr(a args) (netip.AddrPort, error) {
	addr := netip.AddrPortFrom(s.cfg.Host, uint16(s.cfg.Port))
	if v := a.get("addr"); v != "" {
		// Like ParseHostPort, but port 0 is allowed: bind lets the kernel
		// pick a port then.
		h, p, err := net.SplitHostPort(v)
		if err != nil {
			return addr, fmt.Errorf("%q is not HOST:PORT: %w", v, ErrBadHost)
		}
		ip, err := ParseHost(h)
		if err != nil {
			return addr, err
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 65535 {
			return addr, fmt.Errorf("%q: %w", p, ErrBadPort)
		}
		addr = netip.AddrPortFrom(ip, uint16(n))
	}
	if v := a.get("port"); v != "" {
		n, err := strconv.Atoi(v)
		if k := s.Socket(v); err != nil && k != nil && k.Local.IsValid() {
			// port=SOCKET: the port another socket of the lesson has (a
			// server restarting on the port its last run used).
			n, err = int(k.Local.Port()), nil
		}
		if err != nil || n < 0 || n > 65535 {
			return addr, fmt.Errorf("port=%q: %w", v, ErrBadPort)
		}
		addr = netip.AddrPortFrom(addr.Addr(), uint16(n))
	}
	if addr.Addr().IsLoopback() || s.cfg.AllowRemote {
		return addr, nil
	}
	// The one exception: showing that bind refuses an address this machine
	// does not own. Such a bind fails before anything exists, so nothing
	// can be reached or sent.
	if a.get("expect") == "EADDRNOTAVAIL" && mustFail(addr.Addr()) {
		return addr, nil
	}
	return addr, fmt.Errorf("binding %s: %w", addr.Addr(), ErrNotLocal)
}

// target resolves where a connect or sendto goes: a socket of the session
// (by name), "closed" (a loopback port where nothing listens), HOST:PORT,
// or by default the session's host and port.
func (s *Session) target(to string) (netip.AddrPort, error) {
	var addr netip.AddrPort
	switch {
	case to == "":
		addr = netip.AddrPortFrom(s.cfg.Host, uint16(s.cfg.Port))
	case to == "closed":
		// One closed port per session, so a lesson can send to it with
		// UDP and then call it with TCP: the same empty house.
		if !s.closed.IsValid() {
			p, err := closedPort(s.cfg.Host)
			if err != nil {
				return addr, err
			}
			s.closed = p
		}
		addr = s.closed
	case s.Socket(to) != nil:
		k := s.Socket(to)
		if !k.Local.IsValid() || k.Local.Port() == 0 {
			return addr, fmt.Errorf("socket %q has no address yet (bind it first): %w", to, ErrLesson)
		}
		addr = k.Local
	default:
		var err error
		if addr, err = ParseHostPort(to); err != nil {
			return addr, err
		}
	}
	addr = netip.AddrPortFrom(loopbackFor(addr.Addr()), addr.Port())
	return addr, s.allowed(addr.Addr())
}

// allowed is the outbound guard: connect and sendto reach only this
// machine (loopback, or an address of its own, which the kernel routes
// over lo), whatever --host says; the one exception is the address the
// learner typed, or confirmed, at a prompt in a classroom session.
func (s *Session) allowed(a netip.Addr) error {
	a = a.Unmap()
	if IsLocal(a) || s.typed.IsValid() && a == s.typed || machineHas(a) {
		return nil
	}
	return fmt.Errorf("%s: %w", a, ErrNotLocal)
}

// classroom reports whether the session is a classroom one: two
// terminals, or the opt-in to be reached from other machines.
func (s *Session) classroom() bool { return s.cfg.Role != "" || s.cfg.AllowRemote }

// freePort lets the kernel pick a port free on addr for proto (bind to
// port 0, getsockname) and gives it back.
func freePort(proto Proto, addr netip.Addr) (uint16, error) {
	fam, typ := familyOf(addr), unix.SOCK_STREAM
	if proto == UDP {
		typ = unix.SOCK_DGRAM
	}
	fd, err := sock.Socket(fam, typ, 0)
	if err != nil {
		return 0, os.NewSyscallError("socket", err)
	}
	defer unix.Close(fd)
	sa, err := sockaddr(fam, netip.AddrPortFrom(addr, 0))
	if err != nil {
		return 0, err
	}
	if err := unix.Bind(fd, sa); err != nil {
		return 0, os.NewSyscallError("bind", err)
	}
	got, err := unix.Getsockname(fd)
	if err != nil {
		return 0, os.NewSyscallError("getsockname", err)
	}
	ap, _ := addrPort(got)
	return ap.Port(), nil
}

// askAddr lets the learner type the host and port, suggesting def.
func (s *Session) askAddr(ctx context.Context, def netip.AddrPort) (netip.AddrPort, error) {
	h, err := s.ui.Ask(ctx, Question{Key: "ask.host", Default: def.Addr().String()})
	if err != nil {
		return def, err
	}
	host, err := ParseHost(strings.TrimSpace(h))
	if err != nil {
		return def, err
	}
	p, err := s.ui.Ask(ctx, Question{Key: "ask.port", Default: strconv.Itoa(int(def.Port()))})
	if err != nil {
		return def, err
	}
	port, err := ParsePort(strings.TrimSpace(p))
	if err != nil {
		return def, err
	}
	addr := netip.AddrPortFrom(loopbackFor(host), uint16(port))
	if s.classroom() && !IsLocal(addr.Addr()) {
		s.typed = addr.Addr().Unmap()
	}
	return addr, s.allowed(addr.Addr())
}

// targetOrAsk is target, except that in a classroom session a
// destination on another machine (the teacher's server, from --host) is
// first put to the learner, who confirms or corrects it: only an
// address the learner gave that way may be reached (allowed).
func (s *Session) targetOrAsk(ctx context.Context, to string, ask bool) (netip.AddrPort, error) {
	addr, err := s.target(to)
	if errors.Is(err, ErrNotLocal) && s.classroom() {
		return s.askAddr(ctx, addr)
	}
	if err != nil {
		return addr, err
	}
	if ask && s.cfg.Role == "" {
		return s.askAddr(ctx, addr)
	}
	return addr, nil
}

// sendtoStep sends one datagram, or with repeat=yes asks for lines and
// sends each until the learner types exit, as the notes' sender does.
// When the destination is sockstep's own receiver, the receiver's
// recvfrom runs right after each datagram so the learner sees it arrive.
func (s *Session) sendtoStep(ctx context.Context, a args) error {
	name := a.get("name")
	addr, err := s.targetOrAsk(ctx, a.get("to"), false)
	if err != nil {
		return err
	}
	var rx *Socket
	if k := s.Socket(a.get("to")); k != nil && k.Peer && k.Open() && k.Proto == UDP {
		rx = k
	}
	lines := strings.Split(a.get("text"), "|")
	repeat := a.get("repeat") == "yes"
	ask := a.get("ask") == "yes" || repeat
	for i := 0; ; i++ {
		def := "exit"
		if i < len(lines) {
			def = lines[i]
		}
		text := def
		if ask {
			if text, err = s.ui.Ask(ctx, Question{Key: "ask.line-or-exit", Default: def}); err != nil {
				return err
			}
		}
		if repeat && strings.TrimSpace(text) == "exit" {
			return nil
		}
		if k := s.Socket(a.get("to")); s.cfg.Role != "" && k != nil && k.External && !k.reached {
			// Wait for the receiver once; after that it may have read
			// what it wanted and gone, and a datagram is simply lost, as
			// UDP datagrams are.
			if err := s.waitReceiver(ctx, addr); err != nil {
				return err
			}
			k.reached = true
		}
		if err := s.sendto(ctx, name, []byte(text), addr); err != nil {
			return err
		}
		if rx != nil {
			if err := s.recvfrom(ctx, rx.Name, 1024); err != nil {
				return err
			}
		}
		if !repeat {
			return nil
		}
		if i > 1000 {
			return errors.New("too many lines")
		}
	}
}
