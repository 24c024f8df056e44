package lessons

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"sync"
	"time"

	"github.com/sockstep/sockstep/content"
	unix "github.com/sockstep/sockstep/lessons/unixshim"
	"github.com/sockstep/sockstep/lessons/wire"
)

// Proto is a transport protocol.
type Proto string

// The two protocols sockstep teaches.
const (
	UDP Proto = "udp"
	TCP Proto = "tcp"
)

// Side tells the two parties of a lesson apart on the timeline.
type Side string

// A socket has no side until it takes part: bind, listen and accept make
// it a server (it waits to be reached), connect and sendto a client.
const (
	NoSide Side = ""
	Client Side = "client"
	Server Side = "server"
)

// Socket is one file descriptor a lesson created. Its last known addresses
// are kept after close, so the kernel can still be asked about the
// connection (TIME_WAIT outlives the descriptor).
type Socket struct {
	Name   string
	FD     int // -1 once closed
	Proto  Proto
	Family int
	Side   Side
	Peer   bool // opened by sockstep to play the other party
	// External marks a peer socket the learner chose to play from another
	// terminal: sockstep does not open it, but remembers where it will be.
	External bool
	Local    netip.AddrPort
	Remote   netip.AddrPort
	Backlog  int
	closed   bool
	// connectFailed is set when a TCP connect on this socket failed: its
	// state is then undefined (Linux answers a second connect with
	// ECONNABORTED), so a retry starts over with a fresh socket.
	connectFailed bool
	// hungUp is set once recv returned 0: the other side has closed.
	hungUp bool
	// reached is set once an external receiver (two terminals) was seen
	// bound, so later datagrams do not wait for it again.
	reached bool
	// Two terminals: for an external socket, via is the listening socket
	// of ours it called, and partner our socket at the other end of its
	// connection (the one accept returned, or the one that called it),
	// where the effects of its calls show.
	via, partner string
}

// Open reports whether the socket still has a file descriptor.
func (s *Socket) Open() bool { return !s.closed && !s.External && s.FD >= 0 }

// NoWaitLimit, as Config.WaitLimit, lets every wait last until the
// context ends (Ctrl-C), where a front end would otherwise bound it.
const NoWaitLimit time.Duration = -1

// Config sets what a session may do.
type Config struct {
	// Host is the address lessons bind and connect to by default
	// (127.0.0.1 unless the learner asks otherwise).
	Host netip.Addr
	// Port is the default port (7788, the port of the source notes).
	Port int
	// AllowRemote permits non-loopback addresses. It is set only by an
	// explicit non-loopback --host, which prints a warning first.
	AllowRemote bool
	// WaitLimit bounds a blocking call (accept, recv, recvfrom) when no one
	// can answer it, as in --auto. Zero waits until the context ends (a
	// front end may put its own bound in its place); NoWaitLimit waits
	// until the context ends whatever the front end would choose.
	WaitLimit time.Duration
	// Role, when set (RoleServer or RoleClient), is two-terminal mode:
	// the lesson's peer sockets are played by PairCommands (one per
	// address the other terminal can use, see PairArgs), run by the
	// learner in a second terminal.
	Role         string
	PairCommands []string
	// Wire, when set, captures the packets of the session's calls; each
	// step's timeline then shows them instead of the packets drawn from
	// the calls. The caller opens and closes it (lessons/wire).
	Wire Capture
	// Lang is the language of the words a session writes itself into the
	// calls it shows and previews (an experiment's comments, a
	// placeholder such as <1000 bytes>); English when empty.
	Lang content.Lang
}

// Question is something a step asks the learner.
type Question struct {
	Key     string // message key of the prompt
	Args    []any
	Default string
	// Choices, when set, are message keys of the allowed answers; the
	// answer is the chosen key.
	Choices []string
	// Labels, when set, are the choices' words as the lesson wrote them
	// (a prediction's answers), used instead of the catalog.
	Labels []string
}

// UI is what a running step needs from its front end. The interactive and
// the plain front end both implement it.
type UI interface {
	// Call shows one system call and its outcome, as soon as it is made.
	Call(Call)
	// Facts shows what the kernel says about sockets after a call.
	Facts([]Facts)
	// Note shows a message from the catalog.
	Note(key string, args ...any)
	// Command shows a shell command for the learner to paste into another
	// terminal. It must be printed whole, on one line, never wrapped.
	Command(cmd string)
	// Ask asks the learner; a plain front end answers with the default.
	Ask(ctx context.Context, q Question) (string, error)
}

// Call records one system call as it was made.
type Call struct {
	Side   Side
	Peer   bool
	Socket string // socket name in the lesson
	Text   string // the call as code, e.g. "bind(3, 127.0.0.1:7788)"
	Ret    string // what it returned, e.g. "0", "fd 4", "5 bytes"
	Err    error  // nil, or an error wrapping a unix.Errno
	// Expected marks an error the lesson set out to show.
	Expected bool
	Data     []byte // bytes sent or received, untrusted
	// Note is a message key explaining a result that needs words, like a
	// recv that returned 0.
	Note string
	From netip.AddrPort // sender, for recvfrom
	Wall time.Duration  // how long the call took (waiting included)
	// Proto is the socket's protocol, when known: one errno has
	// different causes in TCP and UDP (ECONNREFUSED: a RST, or an ICMP
	// port-unreachable message).
	Proto Proto
}

// Session owns the sockets of one lesson run.
type Session struct {
	cfg   Config
	ui    UI
	mu    sync.Mutex
	socks map[string]*Socket
	order []string
	tl    Timeline
	// lastStates holds the TCP state of each connection as last seen, so
	// the timeline shows only changes.
	lastStates map[string]string
	// expect is the errno the running directive sets out to show.
	expect unix.Errno
	// pending is a prediction waiting for the step's results.
	pending *prediction
	// closed is the session's port where nothing listens (to=closed).
	closed netip.AddrPort
	// wirePorts are the ports the capture watches, with the side that
	// owns each.
	wirePorts map[wirePort]Side
	// wireActive are the ports the capture's filter holds now.
	wireActive map[wirePort]bool
	// extraWire holds packets captured in an experiment's namespace,
	// joined to the step's own at its end.
	extraWire []wire.Batch
	// typed is the one address on another machine the learner typed or
	// confirmed at a prompt in a classroom session: connect and sendto
	// may reach it (allowed).
	typed netip.Addr
	// shown are the errnos of the calls shown failing in this step:
	// an error the step ends with is explained with its call only if
	// its call was shown (Explained).
	shown map[unix.Errno]bool
}

// shownFailing records that a call was shown failing with err.
func (s *Session) shownFailing(err error) {
	if e := ErrnoOf(err); e != 0 {
		s.mu.Lock()
		if s.shown == nil {
			s.shown = map[unix.Errno]bool{}
		}
		s.shown[e] = true
		s.mu.Unlock()
	}
}

// Explained reports whether err, the error a step ended with, was already
// shown and explained with the call that failed with it. An experiment's
// own calls are not all shown: when one of them fails, err must be
// explained on its own.
func (s *Session) Explained(err error) bool {
	e := ErrnoOf(err)
	s.mu.Lock()
	defer s.mu.Unlock()
	return e != 0 && s.shown[e]
}

// NewSession starts an empty session. Close it to release every socket.
func NewSession(cfg Config, ui UI) *Session {
	if !cfg.Host.IsValid() {
		cfg.Host = netip.MustParseAddr("127.0.0.1")
	}
	if cfg.Port == 0 {
		cfg.Port = DefaultPort
	}
	if ui == nil {
		ui = quietUI{}
	}
	return &Session{cfg: cfg, ui: ui, socks: map[string]*Socket{}, lastStates: map[string]string{}, wirePorts: map[wirePort]Side{}, wireActive: map[wirePort]bool{}}
}

// Config returns the session's configuration.
func (s *Session) Config() Config { return s.cfg }

// Socket returns the named socket, or nil.
func (s *Session) Socket(name string) *Socket {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.socks[name]
}

// Sockets returns every socket in creation order.
func (s *Session) Sockets() []*Socket {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Socket, 0, len(s.order))
	for _, n := range s.order {
		out = append(out, s.socks[n])
	}
	return out
}

// OpenFDs counts descriptors the session still holds.
func (s *Session) OpenFDs() int {
	n := 0
	for _, k := range s.Sockets() {
		if k.Open() {
			n++
		}
	}
	return n
}

// Timeline returns the events so far. A socket's side is known only once
// it binds, listens or connects, so calls are placed on the side their
// socket took in the end; sockets that never took a side (a socket made
// only to show a failing bind) are left out.
func (s *Session) Timeline() Timeline {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(Timeline, 0, len(s.tl))
	for _, e := range s.tl {
		if e.Kind == EventCall || e.Kind == EventState {
			k := s.socks[e.Socket]
			if k == nil || k.Side == NoSide {
				continue
			}
			e.Side = k.Side
		}
		out = append(out, e)
	}
	return out
}

// Close closes every socket still open. It is safe to call more than once
// and on every path: normal end, error, interrupt.
func (s *Session) Close() error {
	var errs []error
	closed := false
	for _, k := range s.Sockets() {
		if k.Open() {
			if err := unix.Close(k.FD); err != nil {
				errs = append(errs, fmt.Errorf("closing %s: %w", k.Name, err))
			}
			k.closed = true
			k.FD = -1
			closed = true
		}
	}
	if closed && s.cfg.Wire != nil {
		// The FIN, FIN, ACK (or RST) those closes sent go into the pcap
		// file before the ports are given back: on an interrupt they are
		// the last packets of the session.
		s.cfg.Wire.Drain(0)
	}
	s.unwatchAll()
	return errors.Join(errs...)
}

func (s *Session) add(k *Socket) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.socks[k.Name]; ok && old.Open() {
		unix.Close(old.FD)
	}
	if _, ok := s.socks[k.Name]; !ok {
		s.order = append(s.order, k.Name)
	}
	s.socks[k.Name] = k
}

// LastSeq is the Seq of the session's latest event (0 before the first):
// the events a step adds are numbered after it.
func (s *Session) LastSeq() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.tl)
}

func (s *Session) event(e Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e.Seq = len(s.tl) + 1
	if e.At.IsZero() {
		e.At = time.Now()
	}
	s.tl = append(s.tl, e)
}

// need returns an open socket by name, or an error a lesson author can act
// on.
func (s *Session) need(name string) (*Socket, error) {
	k := s.Socket(name)
	if k == nil {
		return nil, fmt.Errorf("the lesson uses socket %q before creating it: %w", name, ErrLesson)
	}
	if k.closed {
		return nil, fmt.Errorf("socket %q is already closed: %w", name, ErrLesson)
	}
	return k, nil
}

// needAddr is need, plus addr in the kernel's form for that socket.
func (s *Session) needAddr(name string, addr netip.AddrPort) (*Socket, unix.Sockaddr, error) {
	k, err := s.need(name)
	if err != nil {
		return nil, nil, err
	}
	sa, err := sockaddr(k.Family, addr)
	return k, sa, err
}

// ErrLesson marks a mistake in a lesson's directives, as opposed to an error
// the kernel returned.
var ErrLesson = errors.New("the lesson text has a mistake")

// noteStates records, on the timeline, every TCP connection whose kernel
// state changed since the last look. It is what makes the handshake and the
// teardown visible: the states come from the kernel, not from a script.
func (s *Session) noteStates() {
	type change struct {
		k    *Socket
		prev string
		now  string
	}
	var changes []change
	s.settle()
	for _, k := range s.Sockets() {
		if k.Proto != TCP || k.External {
			continue
		}
		f := s.inspect(k)
		now := f.State
		if now == "" {
			continue
		}
		key := k.Name
		prev := s.lastStates[key]
		if prev != now {
			s.lastStates[key] = now
			changes = append(changes, change{k, prev, now})
		}
	}
	sort.SliceStable(changes, func(i, j int) bool { return changes[i].k.Side < changes[j].k.Side })
	for _, c := range changes {
		s.event(Event{Side: c.k.Side, Kind: EventState, Socket: c.k.Name, Peer: c.k.Peer, From: c.prev, To: c.now})
	}
}

// transitional states last only until the other side's answer is
// processed, microseconds on loopback.
var transitional = map[string]bool{"SYN_SENT": true, "SYN_RECV": true, "FIN_WAIT1": true, "LAST_ACK": true, "CLOSING": true}

// settle gives the kernel a moment to process the packets a call caused
// (the ACK of a FIN, say), so that the states shown are where the
// connection rests rather than a snapshot of a packet in flight. The ACK
// of a FIN may be a delayed one (Linux holds it at least TCP_DELACK_MIN,
// 40 ms, at most TCP_DELACK_MAX, 200 ms: include/net/tcp.h), so it waits
// up to 250 ms; a state still in transition after that (a SYN_SENT that
// no one answers) is shown as it is.
func (s *Session) settle() {
	for deadline := time.Now().Add(250 * time.Millisecond); time.Now().Before(deadline); {
		busy := false
		for _, k := range s.Sockets() {
			if k.Proto == TCP && !k.External && transitional[s.inspect(k).State] {
				busy = true
			}
		}
		if !busy {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// quietUI is the UI of a session nobody watches: it shows nothing and
// answers every question with its default.
type quietUI struct{}

func (quietUI) Call(Call)           {}
func (quietUI) Facts([]Facts)       {}
func (quietUI) Note(string, ...any) {}
func (quietUI) Command(string)      {}
func (quietUI) Ask(ctx context.Context, q Question) (string, error) {
	return q.Default, ctx.Err()
}
