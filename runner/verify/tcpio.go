package verify

import (
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"syscall"
	"time"
)

// tcpConn is one connection verify holds with the program, recorded as
// obs.Conns[i]. The peer runs in one goroutine, so the index stays valid
// while connections are appended.
type tcpConn struct {
	s    *session
	c    *net.TCPConn
	i    int
	sent int // bytes verify has sent on it
}

func (t *tcpConn) rec() *Conn { return &t.s.obs.Conns[t.i] }

// newTCPConn records c as the next connection.
func newTCPConn(s *session, c *net.TCPConn) *tcpConn {
	s.obs.Conns = append(s.obs.Conns, Conn{Opened: time.Now()})
	s.track(c, false)
	return &tcpConn{s: s, c: c, i: len(s.obs.Conns) - 1}
}

// dial connects a client to the program. With poll, a refused connection
// is retried with backoff until the program listens, exits, or time is up:
// that is how verify waits for a server without a fixed sleep. Without
// poll, a refusal is recorded (the server should be listening by now).
func dial(s *session, poll bool) *tcpConn {
	addr := net.JoinHostPort(s.host, strconv.Itoa(s.port))
	var d net.Dialer
	for i := 0; ; i++ {
		c, err := d.DialContext(s.ctx, "tcp4", addr)
		if err == nil {
			s.obs.Reached = true
			return newTCPConn(s, c.(*net.TCPConn))
		}
		if !poll || !errors.Is(err, syscall.ECONNREFUSED) {
			if !s.over() {
				s.obs.Conns = append(s.obs.Conns, Conn{Refused: true})
			}
			return nil
		}
		if i%4 == 3 && wrongPort(s) {
			return nil
		}
		select {
		case <-s.proc.Done():
			return nil
		case <-s.ctx.Done():
			return nil
		case <-time.After(backoff(i)):
		}
	}
}

// lateAccept is how long verify looks for a connection made by a program
// that has already exited. Loopback connections are in the backlog at
// once, so only a program that never connected waits this long.
const lateAccept = 20 * time.Millisecond

// accept waits for the program to connect to l.
func accept(s *session, l *net.TCPListener) *tcpConn {
	s.track(l, true)
	c, err := acceptOwn(s, l)
	if err != nil && s.proc.HasExited() && !s.over() {
		// Cut short because the program exited: it may have connected,
		// sent and exited before verify accepted. The connection then
		// waits in the backlog; one more short accept finds it.
		s.shorten(l, lateAccept)
		c, err = acceptOwn(s, l)
	}
	if err != nil {
		s.gaveUp(waitConnect)
		return nil
	}
	s.obs.Reached = true
	return newTCPConn(s, c)
}

// acceptOwn accepts the next connection that the program made, closing
// those another program made (sender.go); at most maxForeign of them.
func acceptOwn(s *session, l *net.TCPListener) (*net.TCPConn, error) {
	for range maxForeign {
		c, err := l.AcceptTCP()
		if err != nil || !s.foreign("tcp", c.RemoteAddr()) {
			return c, err
		}
		_ = c.Close()
	}
	return nil, errors.New("too many connections from other programs")
}

// maxForeign bounds the connections from other programs one accept
// closes before it gives up.
const maxForeign = 1000

// send writes b. A write that fails because the program has closed or
// reset the connection records that close, as a read would have.
func (t *tcpConn) send(b []byte) bool {
	n, err := t.c.Write(b)
	t.sent += n
	if err != nil {
		t.noteEnd(err)
	}
	return err == nil
}

// maxReceived bounds what verify keeps of one connection. No exercise
// expects more than 100 004 bytes (tcp-file's prefix and upload), so a
// program that sends more than 256 KiB has already failed: verify stops
// reading it there, and the program's sends block on a full socket buffer
// until it is stopped, instead of verify's memory growing with the flood.
const maxReceived = 256 << 10

// readBuf is the size of one read.
const readBuf = 64 << 10

// take appends what was read, up to maxReceived in all, and reports whether
// the cap was reached (the rest is not kept and no more is read).
func (t *tcpConn) take(b []byte) (full bool) {
	r := t.rec()
	room := maxReceived - len(r.Received)
	if len(b) > room {
		b = b[:room]
		r.Overflowed = true
	}
	r.Received = append(r.Received, b...)
	if len(r.Received) >= maxReceived {
		r.Overflowed = true
	}
	return r.Overflowed
}

// overflow records that a connection went past maxReceived: the verdict is
// fixed, so verify does not wait for the program any longer.
func (t *tcpConn) overflow() { t.s.verdictFixed() }

// readUntil reads until the program has sent at least n bytes in all, the
// program closes, or the wait ends. With idle > 0, once some bytes have
// arrived the wait for more is cut to idle: a program that sends fewer
// bytes than expected is not waited for until the time limit. Reaching
// maxReceived ends the read as if n had come: verify has all it may keep.
func (t *tcpConn) readUntil(n int, idle time.Duration) (ok bool) {
	buf := make([]byte, readBuf)
	defer t.s.restore(t.c)
	for len(t.rec().Received) < n {
		if idle > 0 && len(t.rec().Received) > 0 {
			t.s.shorten(t.c, idle)
		}
		m, err := t.c.Read(buf[:min(readBuf, maxReceived-len(t.rec().Received))])
		if t.take(buf[:m]) {
			t.overflow()
			return true
		}
		if err != nil {
			t.noteEnd(err)
			return false
		}
	}
	return true
}

// readToEOF reads until the program closes its side or the wait ends. A
// program that sends more than maxReceived is not read further: its
// verdict is fixed, and reading on would only cost verify time.
func (t *tcpConn) readToEOF() bool {
	if t.rec().Overflowed {
		return true
	}
	buf := make([]byte, readBuf)
	for {
		m, err := t.c.Read(buf[:min(readBuf, maxReceived-len(t.rec().Received))])
		if t.take(buf[:m]) {
			t.overflow()
			return true
		}
		if err != nil {
			t.noteEnd(err)
			return t.rec().Closed
		}
	}
}

// noteEnd records how a read ended: end of stream and reset both mean the
// program closed its socket (a reset is a close with unread data).
func (t *tcpConn) noteEnd(err error) {
	if r := t.rec(); !r.Closed {
		defer func() {
			if r.Closed {
				r.ClosedAfter = time.Since(r.Opened)
			}
		}()
	}
	switch {
	case errors.Is(err, io.EOF):
		t.rec().Closed = true
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		t.rec().Closed, t.rec().Reset = true, true
	}
}

// closeWrite says "I am done sending" (a FIN), as a client that closes
// does, while still reading what the program sends back.
func (t *tcpConn) closeWrite() { _ = t.c.CloseWrite() }

// close closes verify's side, except on a connection that went past
// maxReceived: closing a socket with unread data sends a reset (tcp(7),
// RFC 2525 2.17), and a program that got it before it was stopped would
// crash with "connection reset" only some of the time. Such a connection
// is closed by closeAll, once the program is stopped.
func (t *tcpConn) close() {
	if t.rec().Overflowed {
		return
	}
	_ = t.c.Close()
}

// listenLoopback opens verify's own listener on a free loopback port.
func listenLoopback() (*net.TCPListener, int, error) {
	var lc net.ListenConfig
	l, err := lc.Listen(context.Background(), "tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, 0, err
	}
	tl := l.(*net.TCPListener)
	return tl, tl.Addr().(*net.TCPAddr).Port, nil
}
