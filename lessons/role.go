package lessons

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// Two terminals (--role): a lesson runs only its own side, and the other
// side is played by its pair lesson in a second terminal, so each learner
// pauses independently. Every peer socket of the lesson is then external,
// and three things change:
//
//   - a client's connect to the other terminal's server waits until that
//     server listens: the first attempt is shown (ECONNREFUSED, and why),
//     then sockstep watches the kernel's table of listening sockets and
//     connects once the server is there;
//   - a UDP sender likewise waits until the receiver has bound its port,
//     because a datagram sent before that is lost without a word;
//   - once the other side has hung up (recv returned 0), the steps that
//     would still talk to it are skipped with a note, since the other
//     terminal's lesson may say fewer things than this one expects.

// Roles a lesson can play in two-terminal mode.
const (
	RoleServer = "server"
	RoleClient = "client"
)

// retryEvery is how often a client role looks again for the server.
const retryEvery = 200 * time.Millisecond

// externalTarget reports whether a connect or sendto goes to a socket the
// other terminal plays.
func (s *Session) externalTarget(to string) bool {
	k := s.Socket(to)
	return k != nil && k.External
}

// connectWhenListening connects name to addr, waiting for the other
// terminal's server to listen first.
func (s *Session) connectWhenListening(ctx context.Context, name string, addr netip.AddrPort) error {
	err := s.connect(ctx, name, addr)
	if ErrnoOf(err) != unix.ECONNREFUSED {
		return err
	}
	s.ui.Note("role.waiting-server", addr)
	// Only this machine's own table can be read; a server elsewhere (the
	// classroom opt-in) is tried again every second instead.
	if IsLocal(addr.Addr()) {
		if err := s.until(ctx, func() bool { found, known := listeningOn(TCP, addr); return found || !known }); err != nil {
			return err
		}
	}
	start := time.Now()
	for {
		if s.cfg.WaitLimit > 0 && time.Since(start) > s.cfg.WaitLimit {
			return fmt.Errorf("waited %s for the other terminal: %w", s.cfg.WaitLimit, ErrWaited)
		}
		// A socket whose connect failed cannot connect again (Linux says
		// ECONNABORTED): like a real client, start over with a new one.
		k := s.Socket(name)
		s.ui.Note("role.new-socket")
		if err := s.closeSocket(ctx, name); err != nil {
			return err
		}
		if err := s.newSocket(ctx, name, k.Proto, k.Family, false); err != nil {
			return err
		}
		err = s.connect(ctx, name, addr)
		if ErrnoOf(err) != unix.ECONNREFUSED {
			return err
		}
		// The table could not be read (not Linux, another machine), or
		// the server went away again: try once more after a pause.
		if err := s.sleep(ctx, time.Second); err != nil {
			return err
		}
	}
}

// waitReceiver waits until something on this machine has bound addr for
// UDP. A receiver on another machine cannot be seen; then it returns at
// once.
func (s *Session) waitReceiver(ctx context.Context, addr netip.AddrPort) error {
	if !IsLocal(addr.Addr()) {
		return nil
	}
	if found, known := listeningOn(UDP, addr); found || !known {
		return nil
	}
	s.ui.Note("role.waiting-receiver", addr)
	return s.until(ctx, func() bool { found, _ := listeningOn(UDP, addr); return found })
}

// until polls ready every retryEvery, within the session's wait limit.
func (s *Session) until(ctx context.Context, ready func() bool) error {
	start := time.Now()
	for !ready() {
		if s.cfg.WaitLimit > 0 && time.Since(start) > s.cfg.WaitLimit {
			return fmt.Errorf("waited %s for the other terminal: %w", s.cfg.WaitLimit, ErrWaited)
		}
		if err := s.sleep(ctx, retryEvery); err != nil {
			return err
		}
	}
	return nil
}

func (s *Session) sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// hungUpSkip reports, in two-terminal mode, whether a send or recv on
// socket name should be skipped because the other side has already hung
// up, and says so.
func (s *Session) hungUpSkip(action, name string) bool {
	if s.cfg.Role == "" {
		return false
	}
	k := s.Socket(name)
	if k == nil || !k.hungUp || (action != "send" && action != "recv") {
		return false
	}
	s.ui.Note("role.hung-up-skip", action, name)
	return true
}

// An effect is what a call made in the other terminal does to one of our
// own sockets, where the kernel shows it: a connect queues a connection
// on our listening socket, a send queues bytes on our end of the
// connection, a close brings its FIN there. In two-terminal mode a step
// whose directive the other terminal runs waits for that effect before
// it goes on, so that what the kernel reports afterwards is what the
// step's text describes, however far apart the two learners are.
type effect struct {
	local *Socket     // our socket that shows it
	ready func() bool // whether it shows it yet
	// packets crossed the wire once it shows, sent by the other side
	// (false) or by ours (true); bytes for "data" and "datagram".
	packets []effectPacket
}

type effectPacket struct {
	what  string
	ours  bool
	bytes func() int
}

// connectEffect: a caller's connect is seen as a connection in the accept
// queue of our listening socket (tcpi_unacked on a LISTEN socket, see
// kernelDetails): the kernel has completed the handshake.
func connectEffect(s *Session, a args) *effect {
	ext, l := s.Socket(a.get("name")), s.Socket(a.get("to"))
	if ext == nil || l == nil || !l.Open() || l.Proto != TCP || l.Backlog == 0 {
		return nil
	}
	ext.via = l.Name
	ext.Remote = l.Local
	return &effect{local: l,
		ready: func() bool {
			f := s.inspect(l)
			return f.Limited || f.AcceptQ > 0
		},
		packets: []effectPacket{{what: "SYN"}, {what: "SYN-ACK", ours: true}, {what: "ACK"}},
	}
}

// sendEffect: bytes the other terminal sent wait in our end's receive
// queue (SIOCINQ). A FIN instead (the other side hung up without
// speaking) also ends the wait: the recv that follows returns 0.
func sendEffect(s *Session, a args) *effect {
	p := s.partnerOf(a.get("name"))
	if p == nil || !p.Open() {
		return nil
	}
	return &effect{local: p,
		ready: func() bool {
			f := s.inspect(p)
			return f.Limited || f.RecvQ > 0 || f.State != "ESTABLISHED"
		},
		packets: []effectPacket{
			{what: "data", bytes: func() int { return max(s.inspect(p).RecvQ, 0) }},
			{what: "ACK", ours: true},
		},
	}
}

// sendtoEffect: a datagram the other terminal sent to our socket waits in
// its receive queue.
func sendtoEffect(s *Session, a args) *effect {
	rx := s.Socket(a.get("to"))
	if rx == nil || !rx.Open() || rx.Proto != UDP || a.get("repeat") == "yes" {
		return nil
	}
	return &effect{local: rx,
		ready: func() bool {
			f := s.inspect(rx)
			return f.Limited || f.RecvQ > 0
		},
		packets: []effectPacket{{what: "datagram", bytes: func() int { return max(s.inspect(rx).RecvQ, 0) }}},
	}
}

// closeEffect: the other terminal's FIN has reached our end. An open end
// leaves ESTABLISHED (CLOSE_WAIT, tcp(7)); an end we closed first leaves
// FIN_WAIT2 for TIME_WAIT.
func closeEffect(s *Session, a args) *effect {
	if a.d.Action == "shutdown" && a.get("how") == "rd" {
		return nil
	}
	p := s.partnerOf(a.get("name"))
	if p == nil || p.Proto != TCP {
		return nil
	}
	return &effect{local: p,
		ready: func() bool {
			f := s.inspect(p)
			if f.Limited {
				return true
			}
			switch f.State {
			case "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2":
				return false
			}
			return true
		},
		packets: []effectPacket{{what: "FIN"}, {what: "ACK", ours: true}},
	}
}

// partnerOf is our socket at the other end of an external socket's
// connection, once known.
func (s *Session) partnerOf(name string) *Socket {
	k := s.Socket(name)
	if k == nil || !k.External || k.partner == "" {
		return nil
	}
	return s.Socket(k.partner)
}

// linkCaller pairs the connection accept just returned on listener l
// with the external caller that dialled l first and has no connection
// yet: their calls show on it.
func (s *Session) linkCaller(l, conn *Socket) {
	for _, k := range s.Sockets() {
		if k.External && k.via == l.Name && k.partner == "" {
			k.partner = conn.Name
			k.Local = conn.Remote
			return
		}
	}
}

// linkAccepted pairs a connection the other terminal's server accepts
// with our socket that called that server.
func (s *Session) linkAccepted(l, conn *Socket) {
	taken := map[string]bool{}
	for _, k := range s.Sockets() {
		if k.External && k.partner != "" {
			taken[k.partner] = true
		}
	}
	for _, k := range s.Sockets() {
		if !k.External && k.Proto == TCP && k.Side == Client && !taken[k.Name] &&
			k.Remote.IsValid() && l.Local.IsValid() && k.Remote.Port() == l.Local.Port() {
			conn.partner = k.Name
			conn.Local = k.Remote
			conn.Remote = k.Local
			return
		}
	}
}

// awaitEffect waits, in two-terminal mode, until a directive the other
// terminal runs shows on our side, then draws it on the timeline: the
// other side's call, and the packets it took. It returns the socket that
// showed it, whose facts the step then reports.
//
// Alone, a socket the learner plays from another terminal ("I do it
// myself") is waited for the same way: the step's facts and text then
// describe what the learner's program did (its FIN, say), not a moment
// before.
func (s *Session) awaitEffect(ctx context.Context, a args, ext *Socket) (*Socket, error) {
	if a.sp.effect == nil {
		return nil, nil
	}
	e := a.sp.effect(s, a)
	if e == nil {
		return nil, nil
	}
	start := time.Now()
	noticed := false
	for !e.ready() {
		if !noticed && time.Since(start) >= waitNotice {
			s.ui.Note("role.waiting-effect."+a.d.Action, e.local.Name)
			noticed = true
		}
		if s.cfg.WaitLimit > 0 && time.Since(start) > s.cfg.WaitLimit {
			return nil, fmt.Errorf("waited %s for the other terminal: %w", s.cfg.WaitLimit, ErrWaited)
		}
		if err := s.sleep(ctx, retryEvery/4); err != nil {
			return nil, err
		}
	}
	if s.Captured() {
		// The capture shows the packets the other side sent, at the time
		// they crossed; when its call was made, within them, is not
		// known here, so the call is not drawn.
		return e.local, nil
	}
	text := s.Preview(a.d)
	if a.d.Action == "send" || a.d.Action == "sendto" {
		// What the other learner typed is theirs: the lesson's text may
		// not be what was sent.
		text = a.d.Action + "(" + a.get("name") + ", …)"
	}
	s.event(Event{Side: ext.Side, Kind: EventCall, Socket: ext.Name, Peer: ext.Peer, Text: text})
	for _, p := range e.packets {
		side, k := ext.Side, ext
		if p.ours {
			side, k = ext.Side.Other(), e.local
		}
		ev := Event{Side: side, Kind: EventPacket, Socket: k.Name, Peer: k.Peer, Text: p.what}
		if p.bytes != nil {
			ev.Bytes = p.bytes()
		}
		s.event(ev)
	}
	return e.local, nil
}
