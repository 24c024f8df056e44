package lessons

import (
	"context"
	"fmt"
	"strconv"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// Truncation: a datagram is delivered whole or not at all, and a receive
// buffer smaller than it keeps only its beginning; the rest is gone, not
// waiting for the next call. MSG_TRUNC makes recvfrom return the
// datagram's real length, so a program can at least tell.

// truncResult is one oversized datagram, and what came after it.
type truncResult struct {
	Size     int    // bytes sent in the big datagram
	Buffer   int    // receive buffer size
	Read     int    // bytes copied into the buffer
	RealLen  int    // what recvfrom returned with MSG_TRUNC
	Truncflg bool   // MSG_TRUNC set in the returned flags
	Next     string // the datagram read after it
}

// udpTruncation sends a datagram of size bytes and then a short one, and
// receives with a buffer of bufSize.
func (l *lab) udpTruncation(ctx context.Context, size, bufSize int) (truncResult, error) {
	res := truncResult{Size: size, Buffer: bufSize}
	tx, rx, addr, to, err := l.udpPair()
	if err != nil {
		return res, err
	}
	big := payload(size)
	if err := unix.Sendto(tx, big, 0, to); err != nil {
		return res, fmt.Errorf("sendto: %w", err)
	}
	l.show(Client, fmt.Sprintf("sendto(%d, %s, 0, %s)", tx, l.s.data(size), addr), strconv.Itoa(size), nil, nil)
	if err := unix.Sendto(tx, []byte("next"), 0, to); err != nil {
		return res, fmt.Errorf("sendto: %w", err)
	}
	l.show(Client, fmt.Sprintf("sendto(%d, \"next\", 0, %s)", tx, addr), "4", nil, nil)
	if err := l.wait(ctx, rx, unix.POLLIN, labWait); err != nil {
		return res, err
	}
	buf := make([]byte, bufSize)
	n, _, flags, _, err := unix.Recvmsg(rx, buf, nil, unix.MSG_TRUNC)
	if err != nil {
		return res, fmt.Errorf("recvmsg: %w", err)
	}
	res.RealLen, res.Read, res.Truncflg = n, min(n, bufSize), flags&unix.MSG_TRUNC != 0
	l.show(Server, fmt.Sprintf("recvfrom(%d, %d, MSG_TRUNC)", rx, bufSize), strconv.Itoa(n), nil, nil)
	m, err := l.recv(ctx, rx, buf, 0, labWait)
	if err != nil {
		return res, err
	}
	res.Next = string(buf[:m])
	l.show(Server, fmt.Sprintf("recvfrom(%d, %d, 0)", rx, bufSize), strconv.Itoa(m), nil, buf[:m])
	return res, nil
}

// tcpNoTruncation sends the same bytes on a connection and reads them with
// the same small buffer: nothing is lost, it just takes more reads.
func (l *lab) tcpNoTruncation(ctx context.Context, size, bufSize int) (readsResult, error) {
	var res readsResult
	c, srv, err := l.tcpPair(ctx)
	if err != nil {
		return res, err
	}
	if err := sendAll(c, payload(size)); err != nil {
		return res, err
	}
	res.Sent = size
	l.show(Client, fmt.Sprintf("send(%d, %s, 0)", c, l.s.data(size)), strconv.Itoa(size), nil, nil)
	buf := make([]byte, bufSize)
	for res.Total() < size {
		n, err := l.recv(ctx, srv, buf, 0, labWait)
		if err != nil {
			return res, err
		}
		res.Reads = append(res.Reads, buf[:n:n])
		buf = make([]byte, bufSize)
		l.show(Server, fmt.Sprintf("recv(%d, %d, 0)", srv, bufSize), strconv.Itoa(n), nil, nil)
	}
	return res, nil
}

var truncationExperiment = &Spec{Action: "truncation",
	Example: "experiment truncation proto=udp size=2000 buffer=1024",
	Params: []Param{
		{Name: "proto", Required: true, Values: []string{"udp", "tcp"}},
		{Name: "size", Default: "2000", Min: 1, Max: 60000},
		{Name: "buffer", Default: "1024", Min: 1, Max: 60000},
	},
	preview: func(s *Session, a args) string {
		size, buffer := a.get("size"), a.get("buffer")
		if a.get("proto") == "udp" {
			return fmt.Sprintf("sendto(tx, %s); sendto(tx, \"next\")\nrecvfrom(rx, %s, MSG_TRUNC); recvfrom(rx, %s, 0)", s.data(size), buffer, buffer)
		}
		return fmt.Sprintf("send(c, %s)\nrecv(conn, %s, 0) …", s.data(size), buffer)
	},
	run: func(ctx context.Context, s *Session, a args) error {
		size, buffer := a.int("size"), a.int("buffer")
		l := s.newLab()
		defer l.close()
		if a.get("proto") == "udp" {
			res, err := l.udpTruncation(ctx, size, buffer)
			if err != nil {
				return err
			}
			s.measure(Measurement{Title: "exp.truncation.title", Rows: []Row{
				{Key: "exp.truncation.udp", Args: []any{res.Size, res.Buffer, res.Read}},
				{Key: map[bool]string{true: "exp.truncation.real", false: "exp.truncation.real-noflag"}[res.Truncflg], Args: []any{res.RealLen}},
				{Key: "exp.truncation.lost", Args: []any{res.Size - res.Read}},
				{Key: "exp.truncation.next", Args: []any{res.Next}},
			}, Values: map[string]string{
				"size": strconv.Itoa(res.Size), "buffer": strconv.Itoa(res.Buffer),
				"lost": strconv.Itoa(res.Size - res.Read),
			}})
			return nil
		}
		res, err := l.tcpNoTruncation(ctx, size, buffer)
		if err != nil {
			return err
		}
		s.measure(Measurement{Title: "exp.truncation.title", Rows: []Row{
			{Key: "exp.truncation.tcp", Args: []any{res.Sent, len(res.Reads), res.Total()}},
		}, Values: map[string]string{"reads": strconv.Itoa(len(res.Reads))}})
		return nil
	}}
