package lessons

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// Partial sends and partial reads: send on a stream socket may take fewer
// bytes than it was given, and recv returns whatever has arrived, up to
// the size asked for. A program that sends or reads a message in one call
// works on loopback by luck; a correct one loops.

// partialSendBuf is the SO_SNDBUF and SO_RCVBUF the lesson asks for (the
// kernel doubles it, socket(7)), so that 1 MiB cannot fit.
const partialSendBuf = 64 << 10

// partialResult is one non-blocking send of a big block into a
// connection whose receiver does not read.
type partialResult struct {
	Asked     int   // bytes given to send
	Took      int   // bytes send returned
	SendQ     int   // sender's send queue afterwards (SIOCOUTQ)
	RecvQ     int   // receiver's receive queue afterwards (SIOCINQ)
	More      int   // bytes later sends took, as the kernel made room
	MoreCalls int   // how many later sends took some
	AgainErr  error // the send that found no room left: EAGAIN
}

// nonblockingSend sends size bytes in one non-blocking call on a fresh
// connection with small buffers, then once more.
func (l *lab) nonblockingSend(ctx context.Context, size int) (partialResult, error) {
	res := partialResult{Asked: size}
	c, srv, err := l.smallPair(ctx)
	if err != nil {
		return res, err
	}
	if err := unix.SetNonblock(c, true); err != nil {
		return res, err
	}
	l.show(Client, fmt.Sprintf("setsockopt(%d, SOL_SOCKET, SO_SNDBUF, %d); fcntl(%d, F_SETFL, O_NONBLOCK)", c, partialSendBuf, c), "0", nil, nil)
	data := payload(size)
	n, err := unix.Write(c, data)
	if err != nil {
		return res, fmt.Errorf("send: %w", err)
	}
	res.Took = n
	l.show(Client, fmt.Sprintf("send(%d, %s, 0)", c, l.s.data(size)), strconv.Itoa(n), nil, nil)
	// Keep sending the rest until the kernel refuses for good: between
	// calls it may move bytes on to the receiver and make room.
	for sent := n; ; {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		m, err := unix.Write(c, data[sent:])
		if errors.Is(err, unix.EAGAIN) {
			if ok, perr := l.ready(ctx, c, unix.POLLOUT, 100*time.Millisecond); perr != nil {
				return res, perr
			} else if ok {
				continue
			}
			res.AgainErr = err
			l.show(Client, fmt.Sprintf("send(%d, %s, 0)", c, l.s.data(size-sent)), "-1", err, nil)
			break
		}
		if err != nil {
			return res, fmt.Errorf("send: %w", err)
		}
		sent += m
		res.More += m
		res.MoreCalls++
		if sent == size {
			return res, labFailed(errLabTimeout, "exp.partial.err.took-all", "the buffers took all %d bytes", size)
		}
	}
	n += res.More
	// Every byte send took is in one of the two queues, once the
	// kernel has moved what it could to the receiver.
	deadline := time.Now().Add(labWait)
	for {
		res.SendQ, res.RecvQ = outQueue(c), inQueue(srv)
		if res.SendQ+res.RecvQ == n || res.SendQ < 0 || time.Now().After(deadline) {
			break
		}
		if err := ctx.Err(); err != nil {
			return res, err
		}
		time.Sleep(5 * time.Millisecond)
	}
	return res, nil
}

// signalResult is a blocking send a signal cut short.
type signalResult struct {
	Real    bool // the signal was sent (Linux); false: only explained
	Asked   int
	Took    int
	Signals int           // signals sent before send returned
	Elapsed time.Duration // how long send blocked
}

// smallPair is a fresh connection whose buffers are small
// (partialSendBuf), the receiver's set before the handshake.
func (l *lab) smallPair(ctx context.Context) (c, srv int, err error) {
	lfd, addr, err := l.listener(1)
	if err != nil {
		return -1, -1, err
	}
	unix.SetsockoptInt(lfd, unix.SOL_SOCKET, unix.SO_RCVBUF, partialSendBuf)
	if c, err = l.dial(ctx, addr, labWait); err != nil {
		return -1, -1, err
	}
	unix.SetsockoptInt(c, unix.SOL_SOCKET, unix.SO_SNDBUF, partialSendBuf)
	if srv, err = l.accept(ctx, lfd, labWait); err != nil {
		return -1, -1, err
	}
	l.forget(lfd)
	return c, srv, nil
}

// sendallResult is a sendall: the count each send call returned.
type sendallResult struct {
	Size  int
	Calls []int // what each send returned
	Read  int   // bytes the receiver read, all of them
	Again int   // sends that found the buffer full and waited (poll)
}

// sendall sends size bytes with the loop of Python's sendall, on a
// non-blocking socket so each call's count can be seen, while the
// receiver reads in a goroutine that ends before this returns.
func (l *lab) sendall(ctx context.Context, size int) (sendallResult, error) {
	res := sendallResult{Size: size}
	c, srv, err := l.smallPair(ctx)
	if err != nil {
		return res, err
	}
	if err := unix.SetNonblock(c, true); err != nil {
		return res, err
	}
	read := make(chan error, 1)
	go func() {
		buf := make([]byte, 16<<10)
		for res.Read < size {
			n, err := l.recv(ctx, srv, buf, 0, labWait)
			if err == nil && n == 0 {
				err = labFailed(nil, "exp.err.ended-early", "the connection ended early")
			}
			if err != nil {
				read <- err
				return
			}
			res.Read += n
		}
		read <- nil
	}()
	data := payload(size)
	var serr error
	for sent := 0; sent < size && serr == nil; {
		n, err := unix.Write(c, data[sent:])
		switch {
		case errors.Is(err, unix.EAGAIN):
			res.Again++
			serr = l.wait(ctx, c, unix.POLLOUT, labWait)
		case err != nil:
			serr = fmt.Errorf("send: %w", err)
		default:
			res.Calls = append(res.Calls, n)
			sent += n
		}
	}
	if serr != nil {
		unix.Shutdown(c, unix.SHUT_RDWR) // ends the reader
	}
	if err := <-read; serr == nil {
		serr = err
	}
	if serr != nil {
		return res, serr
	}
	for i, n := range res.Calls[:min(len(res.Calls), 3)] {
		l.show(Client, fmt.Sprintf("send(%d, %s, 0)", c, l.s.data(size-sum(res.Calls[:i]))), strconv.Itoa(n), nil, nil)
	}
	if len(res.Calls) > 3 {
		l.show(Client, fmt.Sprintf("send(%d, …) × %d", c, len(res.Calls)-3), "…", nil, nil)
	}
	return res, nil
}

func sum(ns []int) int {
	t := 0
	for _, n := range ns {
		t += n
	}
	return t
}

// readsResult is what the reader's recv calls returned.
type readsCounts struct {
	Sent   []int // the sender's sends
	Buffer int   // the size each recv asked for
	Reads  []int // what each recv returned
}

// readLoop sends the parts (one send each, pause between them) and reads
// with recv(buffer) until every byte has arrived.
func (l *lab) readLoop(ctx context.Context, parts []int, buffer int, pause time.Duration) (readsCounts, error) {
	res := readsCounts{Sent: parts, Buffer: buffer}
	c, srv, err := l.tcpPair(ctx)
	if err != nil {
		return res, err
	}
	total := sum(parts)
	buf := make([]byte, buffer)
	got := 0
	for i, p := range parts {
		if i > 0 {
			select {
			case <-time.After(pause):
			case <-ctx.Done():
				return res, ctx.Err()
			}
		}
		if err := sendAll(c, payload(p)); err != nil {
			return res, err
		}
		l.show(Client, fmt.Sprintf("send(%d, %s, 0)", c, l.s.data(p)), strconv.Itoa(p), nil, nil)
		// Read what has arrived of this part before the next is sent.
		for got < sum(parts[:i+1]) {
			n, err := l.recv(ctx, srv, buf, 0, labWait)
			if err != nil {
				return res, err
			}
			if n == 0 {
				return res, labFailed(nil, "exp.err.ended-early", "the connection ended early")
			}
			got += n
			res.Reads = append(res.Reads, n)
			if len(res.Reads) <= 3 || got == total {
				l.show(Server, fmt.Sprintf("recv(%d, %d, 0)", srv, buffer), strconv.Itoa(n), nil, nil)
			}
		}
	}
	return res, nil
}

var partialSendExperiment = &Spec{Action: "partial-send",
	Example: "experiment partial-send case=nonblocking size=1048576",
	Params: []Param{
		{Name: "case", Required: true, Values: []string{"nonblocking", "signal", "sendall", "read", "arrived"}},
		{Name: "size", Default: "1048576", Min: 1, Max: 16 << 20},
	},
	preview: func(s *Session, a args) string {
		switch a.get("case") {
		case "nonblocking":
			return fmt.Sprintf("setsockopt(c, SOL_SOCKET, SO_SNDBUF, %d); fcntl(c, F_SETFL, O_NONBLOCK)\nsend(c, %s, 0); send(c, %s, 0) …", partialSendBuf, s.data(a.get("size")), s.text("exp.partial.call.rest"))
		case "signal":
			return "send(c, " + s.data(a.get("size")) + ", 0)" + s.comment("exp.partial.call.blocks") + "\n" +
				"tgkill(pid, tid, SIGURG)" + s.comment("exp.partial.call.every", 50)
		case "sendall":
			return "while sent < " + a.get("size") + ": sent += send(c, data[sent:])"
		case "read":
			return "send(c, " + s.data(a.get("size")) + ")\nwhile got < " + a.get("size") + ": got += recv(conn, 1024)"
		}
		return "send(c, " + s.data(4000) + "); recv(conn, 16384)\nsend(c, " + s.data(6000) + "); recv(conn, 16384)"
	},
	run: func(ctx context.Context, s *Session, a args) error {
		l := s.newLab()
		defer l.close()
		title := "exp.partial.title"
		switch a.get("case") {
		case "nonblocking":
			res, err := l.nonblockingSend(ctx, a.int("size"))
			if err != nil {
				return err
			}
			s.measure(Measurement{Title: title, Rows: []Row{
				{Key: "exp.partial.took", Args: []any{res.Asked, res.Took, res.Asked - res.Took}},
				{Key: "exp.partial.more", Args: []any{res.MoreCalls, res.More, ErrnoName(ErrnoOf(res.AgainErr))}},
				{Key: "exp.partial.queues", Args: []any{res.SendQ, res.RecvQ, res.SendQ + res.RecvQ}},
			}, Values: map[string]string{"asked": strconv.Itoa(res.Asked), "took": strconv.Itoa(res.Took)}})
		case "signal":
			res, err := l.interruptedSend(ctx, a.int("size"))
			if err != nil {
				return err
			}
			if !res.Real {
				s.measure(Measurement{Title: title, Rows: []Row{{Key: "exp.partial.signal-none"}}})
				return nil
			}
			s.measure(Measurement{Title: title, Rows: []Row{
				{Key: "exp.partial.signal", Args: []any{ms(res.Elapsed), res.Signals, res.Asked, res.Took}},
			}, Values: map[string]string{"took": strconv.Itoa(res.Took)}})
		case "sendall":
			res, err := l.sendall(ctx, a.int("size"))
			if err != nil {
				return err
			}
			s.measure(Measurement{Title: title, Rows: []Row{
				{Key: "exp.partial.sendall", Args: []any{res.Size, len(res.Calls), res.Again, res.Read}},
			}, Values: map[string]string{"calls": strconv.Itoa(len(res.Calls))}})
		default:
			parts, buffer := []int{4000, 6000}, 16384
			if a.get("case") == "read" {
				parts, buffer = []int{a.int("size")}, 1024
			}
			res, err := l.readLoop(ctx, parts, buffer, 100*time.Millisecond)
			if err != nil {
				return err
			}
			rows := []Row{{Key: "exp.partial.reads", Args: []any{sum(res.Sent), len(res.Sent), res.Buffer, len(res.Reads), fmt.Sprint(res.Reads)}}}
			s.measure(Measurement{Title: title, Rows: rows, Values: map[string]string{
				"reads": strconv.Itoa(len(res.Reads)), "first": strconv.Itoa(res.Reads[0])}})
		}
		return nil
	}}
