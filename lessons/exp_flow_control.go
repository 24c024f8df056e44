package lessons

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// Flow control: TCP never sends more than the receiver has room for. A
// receiver that does not read fills its receive queue; the sender's data
// then piles up in its own send queue; once that is full, send blocks (or,
// non-blocking, fails with EAGAIN). UDP has no such brake: a receiver that
// does not keep up simply loses datagrams.

// windowSample is the two queues after some bytes were written.
type windowSample struct {
	Sent, RecvQ, SendQ, Unsent int
}

// windowResult is one run of a sender against a receiver that never reads.
type windowResult struct {
	Samples   []windowSample
	Sent      int  // bytes the kernel accepted before send refused
	Blocked   bool // send failed with EAGAIN: the window is closed
	RecvQ     int  // receiver's queue when the sender stopped
	SendQ     int  // sender's queue when the sender stopped (SIOCOUTQ)
	Unsent    int  // the part of it never sent (SIOCOUTQNSD)
	Drained   int  // bytes the receiver then read
	SentAfter int  // bytes a send took once the receiver had read
}

// tcpWindow writes chunk-sized pieces without blocking until the kernel
// refuses more, sampling both queues as they grow.
func (l *lab) tcpWindow(ctx context.Context, bufSize, chunk int) (windowResult, error) {
	var res windowResult
	lfd, addr, err := l.listener(1)
	if err != nil {
		return res, err
	}
	// Small buffers, set before the connection exists (the window is
	// agreed in the handshake), so the queues fill in a blink.
	unix.SetsockoptInt(lfd, unix.SOL_SOCKET, unix.SO_RCVBUF, bufSize)
	c, err := l.dial(ctx, addr, labWait)
	if err != nil {
		return res, err
	}
	unix.SetsockoptInt(c, unix.SOL_SOCKET, unix.SO_SNDBUF, bufSize)
	srv, err := l.accept(ctx, lfd, labWait)
	if err != nil {
		return res, err
	}
	if err := unix.SetNonblock(c, true); err != nil {
		return res, err
	}
	data := payload(chunk)
	nextSample := 2 * chunk
	for {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		n, err := unix.Write(c, data)
		if errors.Is(err, unix.EAGAIN) {
			// Full for now; maybe only until the kernel moves bytes to
			// the receiver. Stop when it stays full.
			if ok, perr := l.ready(ctx, c, unix.POLLOUT, 100*time.Millisecond); perr != nil {
				return res, perr
			} else if !ok {
				res.Blocked = true
				l.show(Client, fmt.Sprintf("send(%d, %s, 0)", c, l.s.data(chunk)), "-1", unix.EAGAIN, nil)
				break
			}
			continue
		}
		if err != nil {
			return res, fmt.Errorf("send: %w", err)
		}
		res.Sent += n
		if res.Sent >= nextSample {
			res.Samples = append(res.Samples, windowSample{res.Sent, inQueue(srv), outQueue(c), unsentQueue(c)})
			nextSample *= 4
		}
		if res.Sent > 64<<20 {
			return res, labFailed(errLabTimeout, "exp.flow.err.never-full", "64 MiB went in and send never refused")
		}
	}
	res.RecvQ, res.SendQ, res.Unsent = inQueue(srv), outQueue(c), unsentQueue(c)
	res.Samples = append(res.Samples, windowSample{res.Sent, res.RecvQ, res.SendQ, res.Unsent})
	// The receiver reads at last; the sender's bytes flow again.
	buf := make([]byte, 64<<10)
	for res.Drained < res.Sent {
		n, err := l.recv(ctx, srv, buf, 0, labWait)
		if err != nil {
			return res, err
		}
		res.Drained += n
	}
	l.show(Server, fmt.Sprintf("recv(%d, 65536, 0) …", srv), strconv.Itoa(res.Drained), nil, nil)
	if err := l.wait(ctx, c, unix.POLLOUT, labWait); err != nil {
		return res, err
	}
	n, err := unix.Write(c, data)
	if err != nil {
		return res, fmt.Errorf("send: %w", err)
	}
	res.SentAfter = n
	l.show(Client, fmt.Sprintf("send(%d, %s, 0)", c, l.s.data(chunk)), strconv.Itoa(n), nil, nil)
	return res, nil
}

// overflowResult is a UDP sender that outruns a receiver which does not
// read while it sends.
type overflowResult struct {
	Sent, Received int
	SocketDrops    int // the receiving socket's own drop counter
	RcvbufErrors   int // the machine-wide counter's growth, -1 unknown
}

// udpOverflow sends count datagrams of size bytes to a receiver with a
// small buffer, then lets it read what the kernel kept.
func (l *lab) udpOverflow(ctx context.Context, count, size, bufSize int) (overflowResult, error) {
	res := overflowResult{RcvbufErrors: -1}
	tx, rx, addr, to, err := l.udpPair()
	if err != nil {
		return res, err
	}
	unix.SetsockoptInt(rx, unix.SOL_SOCKET, unix.SO_RCVBUF, bufSize)
	before := udpRcvbufErrors()
	data := payload(size)
	for i := 0; i < count; i++ {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if err := unix.Sendto(tx, data, 0, to); err != nil {
			return res, fmt.Errorf("sendto: %w", err)
		}
		res.Sent++
	}
	l.show(Client, fmt.Sprintf("sendto(%d, %s, 0, %s) × %d", tx, l.s.data(size), addr, count), strconv.Itoa(size), nil, nil)
	if after := udpRcvbufErrors(); before >= 0 && after >= 0 {
		res.RcvbufErrors = after - before
	}
	res.SocketDrops = udpSocketDrops(addr)
	buf := make([]byte, 2048)
	for {
		n, _, err := unix.Recvfrom(rx, buf, unix.MSG_DONTWAIT)
		if errors.Is(err, unix.EAGAIN) {
			break
		}
		if err != nil {
			return res, fmt.Errorf("recvfrom: %w", err)
		}
		if n > 0 {
			res.Received++
		}
	}
	l.show(Server, fmt.Sprintf("recvfrom(%d, 2048, MSG_DONTWAIT) × %d", rx, res.Received), strconv.Itoa(size), nil, nil)
	return res, nil
}

var tcpWindowExperiment = &Spec{Action: "tcp-window",
	Example: "experiment tcp-window",
	preview: func(s *Session, a args) string {
		return "send(c, " + s.data(4096) + ", MSG_DONTWAIT) …   # → EAGAIN\nrecv(conn, 65536, 0) …\nsend(c, " + s.data(4096) + ", MSG_DONTWAIT)"
	},
	run: func(ctx context.Context, s *Session, a args) error {
		l := s.newLab()
		defer l.close()
		res, err := l.tcpWindow(ctx, 32<<10, 4096)
		if err != nil {
			return err
		}
		var rows []Row
		for _, sm := range res.Samples {
			rows = append(rows, Row{Key: "exp.flow.sample", Args: []any{sm.Sent, sm.RecvQ, sm.SendQ, sm.Unsent}})
		}
		rows = append(rows,
			Row{Key: "exp.flow.blocked", Args: []any{res.Sent}},
			Row{Key: "exp.flow.drained", Args: []any{res.Drained, res.SentAfter}})
		s.measure(Measurement{Title: "exp.flow.tcp-title", Rows: rows, Bars: []Bar{
			{Key: "exp.flow.bar-recvq", Value: float64(res.RecvQ), Unit: "B"},
			{Key: "exp.flow.bar-sendq", Value: float64(res.SendQ), Unit: "B"},
		}, Values: map[string]string{
			"sent": strconv.Itoa(res.Sent), "recvq": strconv.Itoa(res.RecvQ),
			"sendq": strconv.Itoa(res.SendQ), "unsent": strconv.Itoa(res.Unsent),
		}})
		return nil
	}}

var udpOverflowExperiment = &Spec{Action: "udp-overflow",
	Example: "experiment udp-overflow count=2000",
	Params:  []Param{{Name: "count", Default: "2000", Min: 1, Max: 100000}},
	preview: func(s *Session, a args) string {
		return fmt.Sprintf("sendto(tx, %s, 0, rx) × %s\nrecvfrom(rx, 2048, MSG_DONTWAIT) …", s.data(200), a.get("count"))
	},
	run: func(ctx context.Context, s *Session, a args) error {
		count := a.int("count")
		l := s.newLab()
		defer l.close()
		res, err := l.udpOverflow(ctx, count, 200, 16<<10)
		if err != nil {
			return err
		}
		rows := []Row{
			{Key: "exp.flow.udp-sent", Args: []any{res.Sent}},
			{Key: "exp.flow.udp-received", Args: []any{res.Received}},
			{Key: "exp.flow.udp-lost", Args: []any{res.Sent - res.Received}},
		}
		if res.SocketDrops >= 0 {
			rows = append(rows, Row{Key: "exp.flow.udp-drops", Args: []any{res.SocketDrops}})
		}
		if res.RcvbufErrors >= 0 {
			rows = append(rows, Row{Key: "exp.flow.udp-snmp", Args: []any{res.RcvbufErrors}})
		}
		s.measure(Measurement{Title: "exp.flow.udp-title", Rows: rows, Bars: []Bar{
			{Key: "exp.flow.bar-sent", Value: float64(res.Sent), Unit: "unit.datagrams"},
			{Key: "exp.flow.bar-received", Value: float64(res.Received), Unit: "unit.datagrams"},
		}, Values: map[string]string{
			"sent": strconv.Itoa(res.Sent), "lost": strconv.Itoa(res.Sent - res.Received),
		}})
		return nil
	}}
