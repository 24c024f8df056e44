package verify

import (
	"bytes"
	"net"
	"strings"
	"unicode/utf8"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// udp-send: the program reads lines and sends each as one datagram; verify
// is the receiver. The input ends with "exit" followed by one more line,
// which must not be sent: the program stops reading at "exit".
var udpSendLines = []string{"hello", "你好，世界", "one line, one datagram"}

const udpSendAfterExit = "this line comes after exit"

func init() {
	in := strings.Join(udpSendLines, "\n") + "\nexit\n" + udpSendAfterExit + "\n"
	register(&exercise{
		id:      "udp-send",
		stdin:   input(in),
		newPeer: func() peer { return &udpReceiver{} },
		want: func(o *Observation) Facts {
			return Facts{Datagrams: udpSendLines, Exit: exitOK}
		},
		got: func(o *Observation) Facts {
			f := Facts{Exit: exitFact(o, false)}
			for _, d := range o.Datagrams {
				f.Datagrams = append(f.Datagrams, string(d.Data))
			}
			return f
		},
		diagnose: diagnoseUDPSend,
	})
}

// udpReceiver is verify as the receiver of datagrams.
type udpReceiver struct {
	conn  *net.UDPConn
	kept  int // bytes kept in all
	count int // datagrams kept
}

func (p *udpReceiver) setup(s *session) (int, error) {
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return 0, err
	}
	p.conn = c
	return c.LocalAddr().(*net.UDPAddr).Port, nil
}

// play records datagrams until the program exits (or time is up). Sending
// on loopback queues the datagram on verify's socket before sendto
// returns, so after the exit a non-blocking drain finds every one sent.
func (p *udpReceiver) play(s *session) {
	s.track(p.conn, true)
	buf := make([]byte, 65536)
	for {
		n, from, err := p.conn.ReadFromUDP(buf)
		if err != nil {
			break
		}
		if s.foreign("udp", from) {
			continue // another program's (sender.go)
		}
		if !p.record(s, from.String(), buf[:n]) {
			return
		}
	}
	rc, err := p.conn.SyscallConn()
	if err == nil {
		_ = rc.Control(func(fd uintptr) {
			for {
				n, from, err := unix.Recvfrom(int(fd), buf, unix.MSG_DONTWAIT)
				if err != nil {
					return
				}
				addr := ""
				if sa, ok := from.(*unix.SockaddrInet4); ok {
					ua := &net.UDPAddr{IP: sa.Addr[:], Port: sa.Port}
					if s.foreign("udp", ua) {
						continue // another program's (sender.go)
					}
					addr = ua.String()
				}
				if !p.record(s, addr, buf[:n]) {
					return
				}
			}
		})
	}
	if len(s.obs.Datagrams) == 0 && s.over() {
		s.gaveUp(waitData)
	}
}

// record keeps a datagram; it returns false once the caps are reached,
// and the receiver then stops reading (the verdict is fixed).
func (p *udpReceiver) record(s *session, from string, b []byte) bool {
	s.obs.Reached = true
	if ok, full := p.keep(len(b)); !ok {
		s.obs.DatagramsOverflowed = true
		s.obs.DatagramCap = full
		s.verdictFixed()
		return false
	}
	s.obs.Datagrams = append(s.obs.Datagrams, Datagram{From: from, Data: bytes.Clone(b)})
	return true
}

func (p *udpReceiver) close() {
	if p.conn != nil {
		p.conn.Close()
	}
}

func diagnoseUDPSend(o *Observation, want, got Facts) []Hint {
	d := got.Datagrams
	var hs []Hint
	if len(d) == 0 {
		if o.Exit.Exited() && o.Exit.Code == 0 {
			hs = append(hs, hint("nothing_sent", o.Host, o.Port))
		}
		return hs
	}
	for _, x := range d {
		if strings.HasSuffix(x, "\n") || strings.HasSuffix(x, "\r") {
			hs = append(hs, hint("newline_in_datagram"))
			break
		}
	}
	for _, x := range d {
		if strings.TrimSpace(x) == "exit" || strings.Contains(x, udpSendAfterExit) {
			hs = append(hs, hint("sent_exit"))
			break
		}
	}
	// Split or joined: the same text, cut differently. Whitespace is left
	// out, so a line sent word by word is recognised too.
	norm := func(ss []string) string {
		return strings.NewReplacer("\n", "", "\r", "", " ", "", "\t", "").Replace(strings.Join(ss, ""))
	}
	if len(d) != len(want.Datagrams) && strings.HasPrefix(norm(d), norm(want.Datagrams)) &&
		!strings.Contains(norm(d), "exit") {
		hs = append(hs, hint("split_joined"))
	}
	for i, x := range d {
		if i < len(want.Datagrams) && isGBK([]byte(x), want.Datagrams[i]) {
			hs = append(hs, hint("gbk_encoded"))
			break
		}
		if !utf8.ValidString(x) || strings.HasPrefix(x, "b'") || strings.HasPrefix(x, `b"`) {
			hs = append(hs, hint("encoding"))
			break
		}
	}
	return hs
}
