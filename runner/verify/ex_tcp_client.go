package verify

import (
	"net"
	"strings"
	"time"
	"unicode/utf8"
)

// tcp-client: the program connects, sends one line from stdin, prints the
// reply. verify is the server: it replies once the whole message is in
// (or the client has closed its sending side), then, like the notes'
// server, keeps the connection open until the client closes it, and then
// closes it too: a client that half-closes (shutdown(SHUT_WR), Node's
// end(), Go's CloseWrite) and reads until the end of the stream gets it.
const (
	tcpClientMessage = "你好, server!"
	tcpClientReply   = "收到了 (got it): 你好, server!"
)

// idleWait is how long verify waits for more bytes once some have come, when
// fewer than expected have: long for loopback, short for a person.
const idleWait = 300 * time.Millisecond

func init() {
	register(&exercise{
		id:        "tcp-client",
		replyLast: true,
		stdin:     input(tcpClientMessage + "\n"),
		newPeer:   func() peer { return &oneShotServer{} },
		want: func(o *Observation) Facts {
			return Facts{
				Conns:  []ConnFacts{{FromProgram: tcpClientMessage, Closed: true}},
				Stdout: []string{tcpClientReply},
				Exit:   exitOK,
			}
		},
		got: func(o *Observation) Facts {
			reply, _ := replyLines(o.Stdout, o.StdoutBeforeReply)
			return Facts{Conns: connFacts(o), Stdout: reply, Exit: exitFact(o, false)}
		},
		diagnose: diagnoseTCPClient,
	})
}

// connFacts is what the program sent on each connection and whether it
// closed it.
func connFacts(o *Observation) []ConnFacts {
	var out []ConnFacts
	for _, c := range o.Conns {
		out = append(out, ConnFacts{FromProgram: string(c.Received), Closed: c.Closed, Refused: c.Refused})
	}
	return out
}

// oneShotServer is verify as a server for one client.
type oneShotServer struct{ l *net.TCPListener }

func (p *oneShotServer) setup(s *session) (int, error) {
	l, port, err := listenLoopback()
	p.l = l
	return port, err
}

func (p *oneShotServer) play(s *session) {
	c := accept(s, p.l)
	if c == nil {
		return
	}
	if !c.readUntil(len(tcpClientMessage), idleWait) && s.over() {
		s.gaveUp(waitData)
		return
	}
	if c.rec().Closed && len(c.rec().Received) == 0 {
		return
	}
	s.obs.StdoutBeforeReply = writtenSoFar(s.proc)
	c.send([]byte(tcpClientReply))
	serverClose(s, c)
}

// serverClose is the end of verify's side as a server: it waits for the
// client to close (a client that never does is the program's mistake, and
// the connection then stays open until the program is stopped), then
// closes its own side, as the tcp-server contract asks of learners
// (tcp(7): the client's read then returns end of stream).
func serverClose(s *session, c *tcpConn) {
	if !c.rec().Closed && !c.readToEOF() {
		s.gaveUp(waitClose)
		return
	}
	c.close()
}

func (p *oneShotServer) close() {
	if p.l != nil {
		p.l.Close()
	}
}

func diagnoseTCPClient(o *Observation, want, got Facts) []Hint {
	var hs []Hint
	if o.WaitedFor == waitClose {
		// Waiting for the end of the stream explains a missing print too.
		hs = append(hs, hint("client_never_closed"))
	}
	if len(got.Conns) == 0 {
		return hs
	}
	sent := got.Conns[0].FromProgram
	out := strings.Join(got.Stdout, "\n")
	switch {
	case sent == "":
		hs = append(hs, hint("nothing_sent_tcp"))
	case strings.HasSuffix(sent, "\n") || strings.HasSuffix(sent, "\r"):
		hs = append(hs, hint("newline_in_message"))
	case isGBK([]byte(sent), tcpClientMessage):
		hs = append(hs, hint("gbk_encoded"))
	case !utf8.ValidString(sent) || strings.HasPrefix(sent, "b'"):
		hs = append(hs, hint("encoding"))
	}
	last := ""
	if n := len(got.Stdout); n > 0 {
		last = got.Stdout[0]
	}
	switch {
	case gbkMojibake(out, tcpClientReply):
		hs = append(hs, hint("gbk_decoded"))
	case printsBytes(out):
		hs = append(hs, hint("not_decoded"))
	case last != tcpClientReply && strings.HasSuffix(last, tcpClientReply):
		// A label printed with the reply: print("收到服务器的回复：", data).
		hs = append(hs, hint("label", strings.TrimSuffix(last, tcpClientReply)))
	case last != tcpClientReply && strings.HasPrefix(last, tcpClientReply):
		hs = append(hs, hint("label_after", strings.TrimPrefix(last, tcpClientReply)))
	case !strings.Contains(out, tcpClientReply) && sent != "" && o.WaitedFor != waitClose && !crashedSaying(o):
		hs = append(hs, hint("reply_missing"))
	}
	return hs
}
