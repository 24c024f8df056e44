package lessons

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"time"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// Nagle: a small write while an earlier small segment is still
// unacknowledged is held back until the ACK comes (tcp(7) TCP_NODELAY;
// RFC 896; Linux holds it while a sent small segment is unacknowledged,
// Minshall's variant, tcp_nagle_check). The receiver, having nothing to
// send, delays that ACK (RFC 1122 §4.2.3.2; Linux's minimum delayed-ACK
// timeout is TCP_DELACK_MIN, 40 ms). Together, write-write-read costs a
// delayed ACK per round. TCP_NODELAY sends at once; TCP_CORK (tcp(7)) or
// one write sends the whole request in one segment.

// Request pieces of a write-write-read round: a small header, a small
// body, and the server's short reply once it has both.
var (
	nagleHeader = []byte("LEN 0005\n")
	nagleBody   = []byte("hello")
	nagleReply  = []byte("ok")
)

// nagleRun is one way of sending rounds of header+body and waiting for
// the reply.
type nagleRun struct {
	How      string          // "nagle", "nodelay", "cork", "one"
	Rounds   []time.Duration // each round, from the first write to the reply
	Segments int             // data segments the client sent (TCP_INFO), -1 unknown
	ATO      time.Duration   // the server's delayed-ACK timeout after the run, 0 unknown
	Err      error           // why the run could not be made (TCP_CORK elsewhere)
	fd       int             // the client's descriptor, for showRounds
}

// Total is the time of every round together.
func (r nagleRun) Total() time.Duration {
	var t time.Duration
	for _, d := range r.Rounds {
		t += d
	}
	return t
}

// Median is the middle round.
func (r nagleRun) Median() time.Duration {
	if len(r.Rounds) == 0 {
		return 0
	}
	s := slices.Clone(r.Rounds)
	slices.Sort(s)
	return s[len(s)/2]
}

// PerRound is the data segments per round, to one decimal.
func (r nagleRun) PerRound() string {
	if r.Segments < 0 || len(r.Rounds) == 0 {
		return "?"
	}
	return strconv.FormatFloat(float64(r.Segments)/float64(len(r.Rounds)), 'f', 1, 64)
}

// ms2 writes a duration in milliseconds with two decimals: a round
// without a delayed ACK takes a few hundredths of a millisecond.
func ms2(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Nanoseconds())/1e6, 'f', 2, 64)
}

// nagleRounds runs rounds of write-write-read on a fresh connection, the
// client's writes made the way how says.
func (l *lab) nagleRounds(ctx context.Context, how string, rounds int) (nagleRun, error) {
	res := nagleRun{How: how, Segments: -1, fd: -1}
	c, srv, err := l.tcpPair(ctx)
	if err != nil {
		return res, err
	}
	res.fd = c
	if how == "nodelay" {
		if err := unix.SetsockoptInt(c, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1); err != nil {
			return res, os.NewSyscallError("setsockopt(TCP_NODELAY)", err)
		}
		l.show(Client, fmt.Sprintf("setsockopt(%d, IPPROTO_TCP, TCP_NODELAY, 1)", c), "0", nil, nil)
	}
	if how == "cork" {
		if err := setCork(c, true); err != nil {
			res.Err = err
			return res, nil
		}
		setCork(c, false)
	}
	// The server: read a whole request, answer, until the client is
	// done. It ends before nagleRounds returns.
	done := make(chan error, 1)
	want := len(nagleHeader) + len(nagleBody)
	go func() {
		buf := make([]byte, 256)
		for range rounds {
			got := 0
			for got < want {
				n, err := l.recv(ctx, srv, buf, 0, labWait)
				if err != nil {
					done <- err
					return
				}
				if n == 0 {
					done <- labFailed(nil, "exp.nagle.err.client-closed", "the client closed in the middle of a request")
					return
				}
				got += n
			}
			if err := sendAll(srv, nagleReply); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	before := dataSegsOut(c)
	buf := make([]byte, 256)
	var runErr error
	for range rounds {
		start := time.Now()
		if runErr = l.writeRequest(c, how); runErr != nil {
			break
		}
		got := 0
		for got < len(nagleReply) {
			n, err := l.recv(ctx, c, buf, 0, labWait)
			if err == nil && n == 0 {
				err = labFailed(nil, "exp.nagle.err.server-closed", "the server closed in the middle of a round")
			}
			if err != nil {
				runErr = err
				break
			}
			got += n
		}
		if runErr != nil {
			break
		}
		res.Rounds = append(res.Rounds, time.Since(start))
	}
	if runErr != nil {
		// Wakes the server out of its wait: recv returns 0.
		unix.Shutdown(c, unix.SHUT_WR)
	}
	if err := <-done; runErr == nil && err != nil {
		runErr = err
	}
	if runErr != nil {
		return res, runErr
	}
	if after := dataSegsOut(c); before >= 0 && after >= 0 {
		res.Segments = after - before
	}
	res.ATO = ackTimeout(srv)
	return res, nil
}

// writeRequest sends one header and body: two writes (nagle, nodelay),
// two writes inside TCP_CORK, or one write.
func (l *lab) writeRequest(c int, how string) error {
	if how == "one" {
		return sendAll(c, append(slices.Clip(nagleHeader), nagleBody...))
	}
	if how == "cork" {
		if err := setCork(c, true); err != nil {
			return err
		}
	}
	if err := sendAll(c, nagleHeader); err != nil {
		return err
	}
	if err := sendAll(c, nagleBody); err != nil {
		return err
	}
	if how == "cork" {
		return setCork(c, false)
	}
	return nil
}

// showRounds reports the calls of one round as code.
func (l *lab) showRounds(how string, c int, r nagleRun) {
	calls := fmt.Sprintf("send(%d, %q); send(%d, %q); recv(%d)", c, nagleHeader, c, nagleBody, c)
	switch how {
	case "cork":
		calls = fmt.Sprintf("TCP_CORK 1; send(%d, …); send(%d, …); TCP_CORK 0; recv(%d)", c, c, c)
	case "one":
		calls = fmt.Sprintf("send(%d, %q); recv(%d)", c, string(nagleHeader)+string(nagleBody), c)
	}
	l.show(Client, fmt.Sprintf("%s   × %d", calls, len(r.Rounds)), "2", nil, nil)
}

func nagleMeasurement(s *Session, runs []nagleRun) Measurement {
	m := Measurement{Title: "exp.nagle.title"}
	for _, r := range runs {
		if r.Err != nil {
			m.Rows = append(m.Rows, Row{Key: "exp.nagle.unsupported." + r.How, Args: []any{"setsockopt(TCP_CORK): " + s.errName(r.Err)}})
			continue
		}
		m.Rows = append(m.Rows, Row{Key: "exp.nagle.row." + r.How, Args: []any{
			ms2(r.Median()), len(r.Rounds), ms2(r.Total()), r.PerRound()}})
		if r.How == "nagle" || r.How == "nodelay" {
			m.Bars = append(m.Bars, Bar{Key: "exp.nagle.bar." + r.How, Value: float64(r.Median().Microseconds()) / 1000, Unit: "ms"})
		}
	}
	if len(runs) == 2 && runs[0].How == "nagle" && runs[0].Err == nil && runs[1].Err == nil {
		if runs[0].ATO > 0 {
			m.Rows = append(m.Rows, Row{Key: "exp.nagle.ato", Args: []any{ms2(runs[0].ATO)}})
		}
		if runs[1].Median() > 0 {
			m.Rows = append(m.Rows, Row{Key: "exp.nagle.ratio", Args: []any{
				strconv.FormatFloat(float64(runs[0].Median())/float64(runs[1].Median()), 'f', 0, 64)}})
		}
	}
	return m
}

var nagleExperiment = &Spec{Action: "nagle",
	Example: "experiment nagle case=small rounds=20",
	Params: []Param{
		{Name: "case", Required: true, Values: []string{"small", "coalesce"}},
		{Name: "rounds", Default: "20", Min: 2, Max: 200},
	},
	preview: func(s *Session, a args) string {
		r := a.get("rounds")
		if a.get("case") == "small" {
			return fmt.Sprintf("send(c, %q); send(c, %q); recv(c)   × %s\n", nagleHeader, nagleBody, r) +
				"setsockopt(c, IPPROTO_TCP, TCP_NODELAY, 1)\n" + s.text("exp.nagle.call.again", r)
		}
		return "setsockopt(c, IPPROTO_TCP, TCP_CORK, 1)\n" +
			fmt.Sprintf("send(c, %q); send(c, %q)\n", nagleHeader, nagleBody) +
			"setsockopt(c, IPPROTO_TCP, TCP_CORK, 0); recv(c)   × " + r + "\n" +
			fmt.Sprintf("send(c, %q); recv(c)   × %s", string(nagleHeader)+string(nagleBody), r)
	},
	run: func(ctx context.Context, s *Session, a args) error {
		hows := []string{"nagle", "nodelay"}
		if a.get("case") == "coalesce" {
			hows = []string{"cork", "one"}
		}
		var runs []nagleRun
		for _, how := range hows {
			l := s.newLab()
			r, err := l.nagleRounds(ctx, how, a.int("rounds"))
			if err == nil && r.Err == nil {
				l.showRounds(how, r.fd, r)
			}
			l.close()
			if err != nil {
				return err
			}
			runs = append(runs, r)
		}
		s.measure(nagleMeasurement(s, runs))
		return nil
	}}
