package verify

import (
	"net"
	"slices"
	"time"
)

// udp-recv-timeout: the program binds HOST:PORT, reads T (seconds) from
// standard input, and prints every datagram that comes, each wait limited
// to T seconds; when T seconds pass with nothing, it prints "timeout" and
// exits 0. verify sends its datagrams udpTimeoutGap apart, for longer in
// all than T, then nothing: a limit set once for the whole run (Go's
// SetReadDeadline, a timer started at the beginning) ends too early, a
// limit in milliseconds ends at once, no limit never ends.
var udpTimeoutMessages = []string{"first", "second", "第三", "fourth"}

const (
	udpTimeoutSeconds = 0.5
	udpTimeoutGap     = 200 * time.Millisecond
)

func init() {
	register(&exercise{
		id:      "udp-recv-timeout",
		binds:   true,
		stdin:   input("0.5\n"),
		newPeer: func() peer { return &udpTimedSender{} },
		want: func(o *Observation) Facts {
			return Facts{Stdout: append(slices.Clone(udpTimeoutMessages), "timeout"), Exit: exitOK}
		},
		got: func(o *Observation) Facts {
			return Facts{Stdout: lines(o.Stdout), Exit: exitFact(o, false)}
		},
		diagnose: diagnoseUDPRecvTimeout,
	})
}

// udpTimedSender is verify as a sender that pauses between datagrams and
// then falls silent.
type udpTimedSender struct{ conn *net.UDPConn }

func (p *udpTimedSender) setup(s *session) (int, error) { return 0, nil }

func (p *udpTimedSender) play(s *session) {
	c := dialReceiver(s)
	if c == nil {
		return
	}
	p.conn = c
	for i, m := range udpTimeoutMessages {
		if i > 0 {
			select {
			case <-s.proc.Done():
				return
			case <-s.ctx.Done():
				return
			case <-time.After(udpTimeoutGap):
			}
		}
		_, _ = c.Write([]byte(m))
	}
}

func (p *udpTimedSender) close() {
	if p.conn != nil {
		p.conn.Close()
	}
}

func diagnoseUDPRecvTimeout(o *Observation, want, got Facts) []Hint {
	var hs []Hint
	out := got.Stdout
	at := slices.Index(out, "timeout")
	// The datagrams printed before "timeout" (or before the end).
	before := out
	if at >= 0 {
		before = out[:at]
	}
	printed := 0
	for _, l := range before {
		if slices.Contains(udpTimeoutMessages, l) {
			printed++
		}
	}
	switch {
	// A limit far too short may end the program before verify even saw
	// it bind: its output says enough.
	case at >= 0 && printed <= 1:
		hs = append(hs, hint("timeout_too_soon", udpTimeoutSeconds))
	case at >= 0 && printed < len(udpTimeoutMessages):
		hs = append(hs, hint("timeout_once", printed, udpTimeoutSeconds))
	case !o.Reached:
	case at < 0 && o.Exit.Stopped:
		hs = append(hs, hint("no_recv_timeout", udpTimeoutSeconds))
	case at < 0 && o.Exit.Exited() && o.Exit.Code != 0 && printed == len(udpTimeoutMessages):
		hs = append(hs, hint("timeout_crash"))
	}
	if printsBytes(joinLines(out)) {
		hs = append(hs, hint("not_decoded"))
	}
	return hs
}

func joinLines(ls []string) string {
	s := ""
	for _, l := range ls {
		s += l + "\n"
	}
	return s
}
