package verify

import (
	"bytes"
	"slices"
	"strings"
	"time"
)

// tcp-server: the program echoes every client, one after another, until it
// is stopped. verify's clients, in turn:
//
//  1. two messages, each echo awaited, then closes;
//  2. the first two bytes of "你" alone, so a server that decodes each chunk
//     as text meets a character cut in half (TCP is a byte stream), then
//     the rest and a chunk bigger than recv(1024), then closes;
//  3. connects and closes at once: the server's first recv returns 0;
//  4. one more message, to see the server still serving.
var tcpServerClients = [][][]byte{
	{[]byte("hello"), []byte("你好，世界")},
	{[]byte("你")[:2], append([]byte("你")[2:], "好, TCP!"...), bytes.Repeat([]byte("0123456789abcdef"), 200)},
	{},
	{[]byte("bye")},
}

func init() {
	register(&exercise{
		id:         "tcp-server",
		binds:      true,
		server:     true,
		decodeHint: "decode_error_echo",
		newPeer:    func() peer { return &echoClients{} },
		want:       func(o *Observation) Facts { return echoWant(tcpServerClients) },
		got: func(o *Observation) Facts {
			return Facts{Conns: connFacts(o), Exit: exitFact(o, true)}
		},
		diagnose: diagnoseEchoServer,
	})
}

// echoWant is the contract of an echo server: each connection gets back
// exactly what was sent on it and is closed by the server.
func echoWant(clients [][][]byte) Facts {
	f := Facts{Exit: exitRunning}
	for _, chunks := range clients {
		f.Conns = append(f.Conns, ConnFacts{FromProgram: string(bytes.Join(chunks, nil)), Closed: true})
	}
	return f
}

// echoClients is verify as clients of an echo server, one after another.
type echoClients struct{}

func (p *echoClients) setup(s *session) (int, error) { return 0, nil }
func (p *echoClients) close()                        {}

func (p *echoClients) play(s *session) {
	for i, chunks := range tcpServerClients {
		c := dial(s, i == 0)
		if c == nil {
			if i == 0 {
				s.gaveUp(waitBind)
			}
			return
		}
		ok := runEchoClient(s, c, chunks)
		c.close()
		if !ok {
			return
		}
	}
}

// runEchoClient sends each chunk and waits for its echo, then closes its
// side and waits for the server to close. It returns false when the
// scenario cannot go on.
func runEchoClient(s *session, c *tcpConn, chunks [][]byte) bool {
	for _, b := range chunks {
		if !c.send(b) {
			refusedLate(s, c)
			return false
		}
		// idleWait: a server that answers with something shorter than
		// the echo is not waited for until the time limit.
		if !c.readUntil(c.sent, idleWait) {
			if refusedLate(s, c) {
				return false
			}
			if c.rec().Closed {
				s.obs.ClosedBeforeClientDone = true
			} else {
				s.gaveUp(waitEcho)
			}
			return false
		}
	}
	c.closeWrite()
	if !c.readToEOF() {
		s.gaveUp(waitClose)
		return false
	}
	return true
}

func diagnoseEchoServer(o *Observation, want, got Facts) []Hint {
	var hs []Hint
	if o.SecondClientWaited {
		hs = append(hs, hint("not_concurrent"))
	}
	for i, c := range got.Conns {
		if i >= len(want.Conns) {
			break
		}
		w := want.Conns[i].FromProgram
		switch {
		case o.Conns[i].Refused:
			// Nothing listens any more: the server stopped after i clients
			// (it may still be on its way out).
			hs = append(hs, hint("server_exited", i))
		case c.FromProgram == w:
		case strings.ReplaceAll(strings.ReplaceAll(c.FromProgram, "\n", ""), "\r", "") == w:
			hs = append(hs, hint("newline_in_stream"))
		case w != "" && !strings.HasPrefix(w, c.FromProgram) && !strings.HasPrefix(c.FromProgram, w):
			hs = append(hs, hint("not_echo"))
		}
	}
	if served := servedInFull(want, got); o.Exit.Exited() && o.Exit.Code == 0 && served > 0 {
		hs = append(hs, hint("server_exited", served))
	}
	if o.ClosedBeforeClientDone && !o.Exit.Exited() {
		// (A program that ended closed everything: its exit is the news.)
		hs = append(hs, hint("closed_early"))
	}
	if o.WaitedFor == waitClose {
		hs = append(hs, hint("server_never_closed"))
	}
	if o.WaitedFor == waitEcho && !o.SecondClientWaited && !slices.ContainsFunc(hs, func(h Hint) bool { return h.Key == hint("not_echo").Key }) {
		hs = append(hs, hint("no_echo"))
	}
	return hs
}

// servedInFull counts the connections, from the first, that went exactly
// as the contract says.
func servedInFull(want, got Facts) int {
	n := 0
	for n < len(want.Conns) && n < len(got.Conns) && got.Conns[n] == want.Conns[n] {
		n++
	}
	return n
}

// concurrentWait is how long the second client of tcp-server-concurrent
// waits for its echo while the first stays connected. A server that
// serves clients at the same time answers in microseconds.
const concurrentWait = time.Second

// refusedLate turns a connection that was reset before the program sent a
// byte, while nothing listened on PORT any more, into the refusal it is:
// the server closed its listening socket, and whether verify's connect
// came just before that close (the kernel then completes the handshake,
// queues the connection and resets it when the listener closes, tcp(7))
// or just after (refused) is a race. Either way the verdict and the hint
// are "the server stopped serving after N clients", every time.
func refusedLate(s *session, c *tcpConn) bool {
	r := c.rec()
	if !r.Reset || len(r.Received) > 0 {
		return false
	}
	if listening, known := tcpListening(s.port); !known || listening {
		return false
	}
	*r = Conn{Refused: true, Opened: r.Opened}
	return true
}

// settleFor is how long a server that dropped a client gets to exit by
// itself. One with no listening socket left can serve no one: it is on its
// way out (a traceback being printed, an interpreter shutting down, which
// takes more than settleWait on a busy machine), so its end is awaited
// until the time limit, and the verdict does not depend on the machine's
// load. Others get settleWait.
func settleFor(s *session) time.Duration {
	if listening, known := tcpListening(s.port); known && !listening {
		return time.Until(s.deadline)
	}
	return settleWait
}
