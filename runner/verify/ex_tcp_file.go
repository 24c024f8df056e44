package verify

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
	"sync"
)

// tcp-file: the program uploads its whole stdin (binary) as a 4-byte
// big-endian length followed by the bytes, then prints the server's
// one-line answer and closes. verify is the server: it reads the prefix,
// then that many bytes, answers "OK <n>\n" with the count it got, waits
// for the client to close, and closes too.
//
// The file is 100 000 bytes with every byte value, CRLFs, NULs, Chinese
// and invalid UTF-8 in it, so that reading stdin as text, sending it
// without a loop, or forgetting the prefix all show. It is made the first
// time it is used: most runs of sockstep never verify tcp-file.
var tcpFileData = sync.OnceValue(func() []byte { return makeFileData(100000) })

// maxUpload bounds what verify reads when the prefix is not a sane length.
const maxUpload = 4 << 20

func makeFileData(n int) []byte {
	// Appended to a slice of the final size: a bytes.Buffer written byte
	// by byte took 0.7 ms.
	b := make([]byte, 0, n+32)
	x := uint32(2463534242)
	for len(b) < n {
		switch x % 7 {
		case 0:
			b = append(b, "第一行\r\n第二行\n"...)
		case 1:
			b = append(b, 0, 0, 0xff, 0xfe, 0x80)
		default:
			for range 16 {
				x ^= x << 13
				x ^= x >> 17
				x ^= x << 5
				b = append(b, byte(x))
			}
		}
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
	}
	return b[:n]
}

func init() {
	register(&exercise{
		id:         "tcp-file",
		replyLast:  true,
		stdin:      tcpFileData,
		decodeHint: "stdin_binary",
		newPeer:    func() peer { return &fileServer{} },
		want: func(o *Observation) Facts {
			data := tcpFileData()
			var prefix [4]byte
			binary.BigEndian.PutUint32(prefix[:], uint32(len(data)))
			return Facts{
				Conns:  []ConnFacts{{Closed: true, Upload: true}},
				File:   fileFacts(append(prefix[:], data...)),
				Stdout: []string{fmt.Sprintf("OK %d", len(data))},
				Exit:   exitOK,
			}
		},
		got: func(o *Observation) Facts {
			reply, _ := replyLines(o.Stdout, o.StdoutBeforeReply)
			f := Facts{Stdout: reply, Exit: exitFact(o, false)}
			for _, c := range o.Conns {
				f.Conns = append(f.Conns, ConnFacts{Closed: c.Closed, Upload: true})
			}
			if len(o.Conns) > 0 {
				f.File = fileFacts(o.Conns[0].Received)
			}
			return f
		},
		diagnose: diagnoseTCPFile,
	})
}

// fileFacts summarises an upload: the prefix in hex with its value, and
// the length and hash of what follows.
func fileFacts(b []byte) *FileFacts {
	f := &FileFacts{}
	n := min(4, len(b))
	f.Prefix = hex.EncodeToString(b[:n])
	if n == 4 {
		f.Prefix += fmt.Sprintf(" = %d", binary.BigEndian.Uint32(b))
	}
	body := b[n:]
	sum := sha256.Sum256(body)
	f.Length = len(body)
	f.SHA256 = hex.EncodeToString(sum[:8])
	return f
}

// fileServer is verify as the receiving server.
type fileServer struct{ l *net.TCPListener }

func (p *fileServer) setup(s *session) (int, error) {
	l, port, err := listenLoopback()
	p.l = l
	return port, err
}

func (p *fileServer) play(s *session) {
	c := accept(s, p.l)
	if c == nil {
		return
	}
	if !c.readUntil(4, idleWait) && (s.over() || c.rec().Closed) {
		if s.over() {
			s.gaveUp(waitData)
		}
		return
	}
	want := maxUpload
	if r := c.rec().Received; len(r) >= 4 {
		if n := int(binary.BigEndian.Uint32(r)); n <= maxUpload {
			want = n
		}
	}
	// A client that closed its sending side early still gets the count
	// of what arrived: it may be reading until the end of the stream.
	if !c.readUntil(4+want, idleWait) && s.over() {
		s.gaveUp(waitData)
		return
	}
	got := max(0, len(c.rec().Received)-4)
	s.obs.StdoutBeforeReply = writtenSoFar(s.proc)
	c.send([]byte(fmt.Sprintf("OK %d\n", got)))
	serverClose(s, c)
}

func (p *fileServer) close() {
	if p.l != nil {
		p.l.Close()
	}
}

func diagnoseTCPFile(o *Observation, want, got Facts) []Hint {
	var hs []Hint
	if len(o.Conns) == 0 {
		return hs
	}
	r := o.Conns[0].Received
	data := tcpFileData()
	var prefix [4]byte
	binary.BigEndian.PutUint32(prefix[:], uint32(len(data)))
	body := r[min(4, len(r)):]
	// A prefix that matches what was sent after it frames the upload
	// correctly, even if the content itself is wrong.
	consistent := len(r) >= 4 && int(binary.BigEndian.Uint32(r)) == len(body)
	switch {
	case len(r) == 0:
		hs = append(hs, hint("nothing_sent_tcp"))
	case len(r) >= 4 && bytes.Equal(r[:4], []byte{prefix[3], prefix[2], prefix[1], prefix[0]}):
		hs = append(hs, hint("byte_order"))
	case bytes.HasPrefix(r, data[:4]):
		hs = append(hs, hint("no_prefix"))
	case bytes.HasPrefix(r, fmt.Appendf(nil, "%d", len(data))):
		hs = append(hs, hint("prefix_as_text"))
	case !consistent && !bytes.Equal(r[:min(4, len(r))], prefix[:min(4, len(r))]):
		hs = append(hs, hint("bad_prefix"))
	}
	switch {
	case len(r) < 4 || bytes.Equal(body, data):
	case len(body) < len(data) && bytes.HasPrefix(data, body):
		hs = append(hs, hint("truncated", len(body), len(data)))
	case consistent || bytes.Equal(r[:4], prefix[:]):
		hs = append(hs, hint("text_mode"))
	}
	out := strings.Join(got.Stdout, "\n")
	switch {
	case printsBytes(out):
		// print(data) of the bytes: b'OK 100000\n'.
		hs = append(hs, hint("not_decoded"))
	case got.File != nil && got.File.Length > 0 && !strings.Contains(out, "OK ") && !crashedSaying(o):
		hs = append(hs, hint("reply_missing"))
	}
	if o.WaitedFor == waitClose {
		hs = append(hs, hint("client_never_closed"))
	}
	return hs
}
