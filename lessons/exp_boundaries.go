package lessons

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// Message boundaries: UDP delivers each datagram whole and separate; TCP
// delivers a stream of bytes in which the writes leave no trace, so a
// protocol on top of TCP must mark where its messages end.

// boundaryMessages are what both protocols send, three quick writes.
var boundaryMessages = [][]byte{[]byte("one"), []byte("two"), []byte("three")}

// readsResult is what the receiving side got, read by read.
type readsResult struct {
	Sent  int      // bytes sent
	Reads [][]byte // what each recv/recvfrom returned
}

// Total is the number of bytes received.
func (r readsResult) Total() int {
	n := 0
	for _, b := range r.Reads {
		n += len(b)
	}
	return n
}

// udpBoundaries sends three datagrams, then reads until the queue is empty.
func (l *lab) udpBoundaries(ctx context.Context) (readsResult, error) {
	var res readsResult
	tx, rx, addr, to, err := l.udpPair()
	if err != nil {
		return res, err
	}
	for _, m := range boundaryMessages {
		if err := unix.Sendto(tx, m, 0, to); err != nil {
			return res, fmt.Errorf("sendto: %w", err)
		}
		res.Sent += len(m)
		l.show(Client, fmt.Sprintf("sendto(%d, %q, 0, %s)", tx, m, addr), strconv.Itoa(len(m)), nil, nil)
	}
	buf := make([]byte, 1024)
	for res.Total() < res.Sent {
		n, err := l.recv(ctx, rx, buf, 0, labWait)
		if err != nil {
			return res, err
		}
		res.Reads = append(res.Reads, bytes.Clone(buf[:n]))
		l.show(Server, fmt.Sprintf("recvfrom(%d, 1024, 0)", rx), strconv.Itoa(n), nil, buf[:n])
	}
	return res, nil
}

// tcpBoundaries sends three quick writes on one connection; the receiver
// reads only once they have all arrived (as a busy server would), then
// reads until it has every byte.
func (l *lab) tcpBoundaries(ctx context.Context) (readsResult, error) {
	var res readsResult
	c, srv, err := l.tcpPair(ctx)
	if err != nil {
		return res, err
	}
	for _, m := range boundaryMessages {
		if err := sendAll(c, m); err != nil {
			return res, err
		}
		res.Sent += len(m)
		l.show(Client, fmt.Sprintf("send(%d, %q, 0)", c, m), strconv.Itoa(len(m)), nil, nil)
	}
	// Let the bytes land before the first recv, as they would while a
	// server is busy elsewhere.
	deadline := time.Now().Add(labWait)
	for inQueue(srv) < res.Sent && inQueue(srv) >= 0 && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(time.Millisecond)
	}
	buf := make([]byte, 1024)
	for res.Total() < res.Sent {
		n, err := l.recv(ctx, srv, buf, 0, labWait)
		if err != nil {
			return res, err
		}
		res.Reads = append(res.Reads, bytes.Clone(buf[:n]))
		l.show(Server, fmt.Sprintf("recv(%d, 1024, 0)", srv), strconv.Itoa(n), nil, buf[:n])
	}
	return res, nil
}

// bigWriteResult is one large write read back in pieces.
type bigWriteResult struct {
	Written  int
	Pieces   int
	Smallest int
	Largest  int
	Intact   bool // the bytes arrived whole and in order
}

// tcpBigWrite writes size bytes with one send, while the receiver reads
// with a buffer of bufSize: the one write arrives as several reads.
func (l *lab) tcpBigWrite(ctx context.Context, size, bufSize int) (bigWriteResult, error) {
	res := bigWriteResult{Written: size}
	c, srv, err := l.tcpPair(ctx)
	if err != nil {
		return res, err
	}
	data := payload(size)
	sent := make(chan error, 1)
	go func() { sent <- sendAll(c, data) }()
	got := make([]byte, 0, size)
	buf := make([]byte, bufSize)
	for len(got) < size {
		n, err := l.recv(ctx, srv, buf, 0, labWait)
		if err != nil {
			unix.Shutdown(c, unix.SHUT_RDWR) // frees the writer
			<-sent
			return res, err
		}
		if n == 0 {
			break
		}
		got = append(got, buf[:n]...)
		res.Pieces++
		if res.Smallest == 0 || n < res.Smallest {
			res.Smallest = n
		}
		res.Largest = max(res.Largest, n)
	}
	if err := <-sent; err != nil {
		return res, err
	}
	l.show(Client, fmt.Sprintf("send(%d, %s, 0)", c, l.s.data(size)), strconv.Itoa(size), nil, nil)
	l.show(Server, fmt.Sprintf("recv(%d, %d, 0) × %d", srv, bufSize, res.Pieces), fmt.Sprintf("%d … %d", res.Smallest, res.Largest), nil, nil)
	res.Intact = bytes.Equal(got, data)
	return res, nil
}

// framingResult is the messages a receiver recovered from a stream.
type framingResult struct {
	Sent      [][]byte
	Recovered [][]byte
}

// tcpFraming sends the messages on one connection, framed: with a 4-byte
// big-endian length before each ("length"), or a newline after each
// ("newline"). The receiver reads the stream in small, awkward pieces and
// still recovers exactly the messages.
func (l *lab) tcpFraming(ctx context.Context, how string, msgs [][]byte) (framingResult, error) {
	res := framingResult{Sent: msgs}
	c, srv, err := l.tcpPair(ctx)
	if err != nil {
		return res, err
	}
	var stream []byte
	for _, m := range msgs {
		if how == "length" {
			stream = binary.BigEndian.AppendUint32(stream, uint32(len(m)))
			stream = append(stream, m...)
		} else {
			stream = append(append(stream, m...), '\n')
		}
	}
	if err := sendAll(c, stream); err != nil {
		return res, err
	}
	unix.Shutdown(c, unix.SHUT_WR)
	var pending []byte
	buf := make([]byte, 5) // small on purpose: messages straddle reads
	for {
		n, err := l.recv(ctx, srv, buf, 0, labWait)
		if err != nil {
			return res, err
		}
		if n == 0 {
			break
		}
		pending = append(pending, buf[:n]...)
		for {
			var m []byte
			var ok bool
			m, pending, ok = nextFrame(how, pending)
			if !ok {
				break
			}
			res.Recovered = append(res.Recovered, m)
		}
	}
	return res, nil
}

// nextFrame takes one whole message off the front of buf, if there is one.
func nextFrame(how string, buf []byte) (msg, rest []byte, ok bool) {
	if how == "length" {
		if len(buf) < 4 {
			return nil, buf, false
		}
		n := int(binary.BigEndian.Uint32(buf))
		if len(buf) < 4+n {
			return nil, buf, false
		}
		return bytes.Clone(buf[4 : 4+n]), buf[4+n:], true
	}
	i := bytes.IndexByte(buf, '\n')
	if i < 0 {
		return nil, buf, false
	}
	return bytes.Clone(buf[:i]), buf[i+1:], true
}

var boundariesExperiment = &Spec{Action: "boundaries",
	Example: "experiment boundaries proto=udp",
	Params:  []Param{{Name: "proto", Required: true, Values: []string{"udp", "tcp", "big", "length", "newline"}}},
	preview: func(s *Session, a args) string {
		switch a.get("proto") {
		case "udp":
			return "sendto(tx, \"one\"); sendto(tx, \"two\"); sendto(tx, \"three\")\nrecvfrom(rx, 1024, 0) …"
		case "tcp":
			return "send(c, \"one\"); send(c, \"two\"); send(c, \"three\")\nrecv(conn, 1024, 0) …"
		case "big":
			return "send(c, " + s.data(1048576) + ")\nrecv(conn, 65536, 0) …"
		case "length":
			return "send(c, len1 + msg1 + len2 + msg2 + len3 + msg3)\nrecv(conn, 5, 0) …"
		}
		return "send(c, msg1 + \"\\n\" + msg2 + \"\\n\" + msg3 + \"\\n\")\nrecv(conn, 5, 0) …"
	},
	run: func(ctx context.Context, s *Session, a args) error {
		l := s.newLab()
		defer l.close()
		switch p := a.get("proto"); p {
		case "udp", "tcp":
			read := l.udpBoundaries
			if p == "tcp" {
				read = l.tcpBoundaries
			}
			res, err := read(ctx)
			if err != nil {
				return err
			}
			s.measure(Measurement{Title: "exp.boundaries.title", Rows: []Row{
				{Key: "exp.boundaries.writes", Args: []any{len(boundaryMessages), res.Sent}},
				{Key: "exp.boundaries.reads", Args: []any{len(res.Reads), res.Total()}},
			}, Values: map[string]string{"reads": strconv.Itoa(len(res.Reads))}})
		case "big":
			res, err := l.tcpBigWrite(ctx, 1<<20, 64<<10)
			if err != nil {
				return err
			}
			s.measure(Measurement{Title: "exp.boundaries.title", Rows: []Row{
				{Key: "exp.boundaries.big", Args: []any{res.Written, res.Pieces, res.Smallest, res.Largest}},
				{Key: map[bool]string{true: "exp.boundaries.intact", false: "exp.boundaries.damaged"}[res.Intact]},
			}, Values: map[string]string{"reads": strconv.Itoa(res.Pieces)}})
		default:
			msgs := [][]byte{[]byte("hello"), []byte("a longer second message"), []byte("3")}
			res, err := l.tcpFraming(ctx, p, msgs)
			if err != nil {
				return err
			}
			rows := []Row{{Key: "exp.boundaries.framed", Args: []any{len(res.Sent), len(res.Recovered)}}}
			for _, m := range res.Recovered {
				rows = append(rows, Row{Key: "exp.boundaries.message", Args: []any{string(m)}})
			}
			s.measure(Measurement{Title: "exp.boundaries.title-" + p, Rows: rows})
		}
		return nil
	}}
