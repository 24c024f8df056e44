package verify

// tcp-server-concurrent: the same echo contract, but clients overlap. A
// connects and is echoed; B connects while A stays open and must be echoed
// too; then A talks again, both close, and a last client C checks that the
// server still serves.
var (
	concA = [][]byte{[]byte("A: 你好"), []byte("A: still here")}
	concB = [][]byte{[]byte("B: hello")}
	concC = [][]byte{[]byte("C: 再见")}
)

func init() {
	register(&exercise{
		id:         "tcp-server-concurrent",
		binds:      true,
		server:     true,
		decodeHint: "decode_error_echo",
		newPeer:    func() peer { return &overlappingClients{} },
		want:       func(o *Observation) Facts { return echoWant([][][]byte{concA, concB, concC}) },
		got: func(o *Observation) Facts {
			return Facts{Conns: connFacts(o), Exit: exitFact(o, true)}
		},
		diagnose: diagnoseEchoServer,
	})
}

type overlappingClients struct{}

func (p *overlappingClients) setup(s *session) (int, error) { return 0, nil }
func (p *overlappingClients) close()                        {}

func (p *overlappingClients) play(s *session) {
	a := dial(s, true)
	if a == nil {
		s.gaveUp(waitBind)
		return
	}
	defer a.close()
	if !a.send(concA[0]) || !a.readUntil(a.sent, idleWait) {
		echoFailed(s, a)
		return
	}
	b := dial(s, false)
	if b == nil {
		return
	}
	defer b.close()
	if !b.send(concB[0]) {
		return
	}
	// The one wait with its own limit: a server that serves one client at
	// a time would answer B only after A leaves, which never happens.
	s.shorten(b.c, concurrentWait)
	if !b.readUntil(b.sent, 0) {
		if b.rec().Closed {
			s.obs.ClosedBeforeClientDone = true
		} else if !s.over() {
			s.obs.SecondClientWaited = true
			s.gaveUp(waitSecond)
		} else {
			s.gaveUp(waitEcho)
		}
		return
	}
	s.restore(b.c)
	if !a.send(concA[1]) || !a.readUntil(a.sent, idleWait) {
		echoFailed(s, a)
		return
	}
	for _, c := range []*tcpConn{b, a} {
		c.closeWrite()
		if !c.readToEOF() {
			s.gaveUp(waitClose)
			return
		}
	}
	c := dial(s, false)
	if c == nil {
		return
	}
	defer c.close()
	runEchoClient(s, c, concC)
}

func echoFailed(s *session, c *tcpConn) {
	if refusedLate(s, c) {
		return
	}
	if c.rec().Closed {
		s.obs.ClosedBeforeClientDone = true
	} else {
		s.gaveUp(waitEcho)
	}
}
