package verify

import (
	"net"
	"strings"
	"time"
)

// udp-recv: the program binds HOST:PORT and waits for one datagram; verify
// sends it, from a port of its own, once the program has bound.
const udpRecvMessage = "你好, sockstep!"

func init() {
	register(&exercise{
		id:      "udp-recv",
		binds:   true,
		newPeer: func() peer { return &udpSender{} },
		want: func(o *Observation) Facts {
			from := o.Sender
			if from == "" {
				from = o.Host + ":PORT" // verify never got to send
			}
			return Facts{Stdout: []string{from + " " + udpRecvMessage}, Exit: exitOK}
		},
		got: func(o *Observation) Facts {
			return Facts{Stdout: unmapSender(outputLines(o.Stdout), o.Sender), Exit: exitFact(o, false)}
		},
		diagnose: diagnoseUDPRecv,
	})
}

// udpSender is verify as the sender of one datagram.
type udpSender struct{ conn *net.UDPConn }

func (p *udpSender) setup(s *session) (int, error) { return 0, nil }

func (p *udpSender) play(s *session) {
	if p.conn = dialReceiver(s); p.conn != nil {
		_, _ = p.conn.Write([]byte(udpRecvMessage))
	}
}

// dialReceiver waits until the program has bound its port, then opens
// verify's sending socket to it and records its address (the sender the
// program must print). It returns nil when the program never bound, or
// the socket could not be made.
func dialReceiver(s *session) *net.UDPConn {
	if !waitUDPBound(s) {
		s.gaveUp(waitBind)
		return nil
	}
	s.obs.Reached = true
	c, err := net.DialUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)},
		&net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: s.port})
	if err != nil {
		return nil
	}
	s.obs.Sender = c.LocalAddr().String()
	return c
}

// waitUDPBound polls the kernel's socket table until something is bound to
// the port, the program exits, or time is up. Where the table cannot be
// read, it waits a fixed moment instead.
func waitUDPBound(s *session) bool {
	for i := 0; ; i++ {
		bound, known := udpBound(s.port)
		if !known {
			time.Sleep(300 * time.Millisecond)
			return !s.proc.HasExited()
		}
		if bound {
			return true
		}
		if i%4 == 3 && wrongPort(s) {
			return false
		}
		select {
		case <-s.proc.Done():
			return false
		case <-s.ctx.Done():
			return false
		case <-time.After(backoff(i)):
		}
	}
}

func (p *udpSender) close() {
	if p.conn != nil {
		p.conn.Close()
	}
}

// unmapSender writes the sender's address as verify does where a program
// printed it in its IPv4-mapped form: a socket bound to "::" that also
// takes IPv4 (IPV6_V6ONLY off, ipv6(7)) reports an IPv4 sender as
// ::ffff:127.0.0.1, which is the same address (RFC 4291, 2.5.5.2). The
// exercise offers the any-address, so both forms are right.
func unmapSender(lines []string, sender string) []string {
	host, port, ok := strings.Cut(sender, ":")
	if !ok {
		return lines
	}
	var out []string
	for _, l := range lines {
		for _, mapped := range []string{"::ffff:" + host + ":" + port, "[::ffff:" + host + "]:" + port} {
			if rest, ok := strings.CutPrefix(l, mapped); ok {
				l = sender + rest
				break
			}
		}
		out = append(out, l)
	}
	return out
}

// The ways the notes' receiver prints the sender: Python's tuple, or ip and
// port as separate print arguments.
var reTupleAddr = lazy(`\(\s*'?127\.0\.0\.1'?\s*,\s*\d+\s*\)|127\.0\.0\.1\s+\d+`)

func diagnoseUDPRecv(o *Observation, want, got Facts) []Hint {
	var hs []Hint
	out := got.Stdout
	all := strings.Join(out, "\n")
	if o.Reached && o.WaitedFor == waitExit && strings.Contains(all, udpRecvMessage) {
		hs = append(hs, hint("no_exit"))
	}
	if len(out) > 1 {
		hs = append(hs, hint("extra_output", len(out)))
	}
	if gbkMojibake(all, udpRecvMessage) {
		hs = append(hs, hint("gbk_decoded"))
	}
	if printsBytes(all) {
		hs = append(hs, hint("not_decoded"))
	}
	_, port, _ := strings.Cut(o.Sender, ":")
	if reTupleAddr.MatchString(all) || (port != "" && strings.Contains(all, port) && !strings.Contains(all, o.Sender)) {
		hs = append(hs, hint("address_format", o.Sender))
	}
	if o.Reached && len(out) == 0 && o.Exit.Exited() && o.Exit.Code == 0 {
		hs = append(hs, hint("printed_nothing"))
	}
	return hs
}
