package verify

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// tcp-client-sendall: the program sends all of its standard input (bytes)
// to HOST:PORT, says it is done with shutdown(SHUT_WR), and writes the
// server's whole reply to standard output, reading until the server
// closes. verify is the server: it reads until the program's FIN, then
// answers in pieces of uneven size with pauses between them, so that one
// recv gets only part of the reply, and closes. The upload and the reply
// are made the first time they are used, not at every start of sockstep.
var (
	sendallData  = sync.OnceValue(func() []byte { return makeFileData(200000) })
	sendallReply = sync.OnceValue(func() []byte { return makeSendallReply(sendallData()) })
)

// sendallChunks are the sizes verify answers in, in turn, repeated.
var sendallChunks = []int{1, 700, 4096, 13, 9000, 1500}

// sendallPause is the pause between two pieces of the reply.
const sendallPause = 10 * time.Millisecond

// sendallEOFWait is how long verify waits for the program's FIN once every
// byte has come: on loopback a shutdown follows the last send at once.
const sendallEOFWait = time.Second

func makeSendallReply(data []byte) []byte {
	var b bytes.Buffer
	sum := sha256.Sum256(data)
	fmt.Fprintf(&b, "received %d bytes, sha256 %s\n", len(data), hex.EncodeToString(sum[:8]))
	for i := 1; i <= 300; i++ {
		fmt.Fprintf(&b, "line %03d of 300: 你好, the reply goes on until the server closes\n", i)
	}
	return b.Bytes()
}

// sendallFacts summarises an upload by its length and hash.
func sendallFacts(b []byte) *FileFacts {
	sum := sha256.Sum256(b)
	return &FileFacts{Length: len(b), SHA256: hex.EncodeToString(sum[:8])}
}

func init() {
	register(&exercise{
		id:         "tcp-client-sendall",
		stdin:      sendallData,
		decodeHint: "stdin_binary",
		newPeer:    func() peer { return &sendallServer{} },
		want: func(o *Observation) Facts {
			return Facts{
				Conns:  []ConnFacts{{Closed: true, Upload: true}},
				File:   sendallFacts(sendallData()),
				Stdout: lines(sendallReply()),
				Exit:   exitOK,
			}
		},
		got: func(o *Observation) Facts {
			f := Facts{Stdout: lines(o.Stdout), Exit: exitFact(o, false)}
			for _, c := range o.Conns {
				f.Conns = append(f.Conns, ConnFacts{Closed: c.Closed, Upload: true})
			}
			if len(o.Conns) > 0 {
				f.File = sendallFacts(o.Conns[0].Received)
			}
			return f
		},
		diagnose: diagnoseSendall,
	})
}

// sendallServer is verify as the server.
type sendallServer struct{ l *net.TCPListener }

func (p *sendallServer) setup(s *session) (int, error) {
	l, port, err := listenLoopback()
	p.l = l
	return port, err
}

func (p *sendallServer) play(s *session) {
	c := accept(s, p.l)
	if c == nil {
		return
	}
	if !c.readUntil(len(sendallData()), idleWait) {
		if s.over() {
			s.gaveUp(waitData)
		}
		if c.rec().Closed && len(c.rec().Received) < len(sendallData()) {
			// A short upload that ended with a FIN: answer anyway,
			// so the program's output shows what it read.
			p.reply(s, c)
		}
		return
	}
	// Everything came; now the FIN that says the upload is over.
	s.shorten(c.c, sendallEOFWait)
	if !c.readToEOF() {
		s.restore(c.c)
		s.gaveUp(waitClose)
		return
	}
	s.restore(c.c)
	p.reply(s, c)
}

// reply sends the answer in uneven pieces with pauses, then closes.
func (p *sendallServer) reply(s *session, c *tcpConn) {
	defer c.close()
	rest := sendallReply()
	for i := 0; len(rest) > 0; i++ {
		n := min(sendallChunks[i%len(sendallChunks)], len(rest))
		if !c.send(rest[:n]) {
			return
		}
		rest = rest[n:]
		select {
		case <-s.ctx.Done():
			return
		case <-s.proc.Done():
			return
		case <-time.After(sendallPause):
		}
	}
}

func (p *sendallServer) close() {
	if p.l != nil {
		p.l.Close()
	}
}

func diagnoseSendall(o *Observation, want, got Facts) []Hint {
	var hs []Hint
	if len(o.Conns) == 0 {
		return hs
	}
	r := o.Conns[0].Received
	out := string(o.Stdout)
	data, reply := sendallData(), sendallReply()
	switch {
	case len(r) == 0:
		hs = append(hs, hint("nothing_sent_tcp"))
	case len(r) < len(data) && bytes.HasPrefix(data, r):
		hs = append(hs, hint("truncated", len(r), len(data)))
	case !bytes.Equal(r, data):
		hs = append(hs, hint("stdin_binary"))
	case o.WaitedFor == waitClose:
		hs = append(hs, hint("no_half_close"))
	case out == "":
		hs = append(hs, hint("closed_before_reply"))
	case len(out) < len(reply) && strings.HasPrefix(string(reply), out):
		hs = append(hs, hint("reply_truncated", len(out), len(reply)))
	}
	return hs
}
