package lessons

import (
	"context"
	"fmt"
	"time"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// send writes bytes to a connected socket. On TCP the bytes join a stream:
// nothing marks where this send ends and the next begins.
func (s *Session) send(ctx context.Context, name string, data []byte) error {
	k, err := s.need(name)
	if err != nil {
		return err
	}
	c := s.begin(k, "send", "%d, %s, 0", k.FD, quoteData(data))
	n, err := unix.SendmsgN(k.FD, data, nil, nil, unix.MSG_NOSIGNAL)
	if err == nil && k.Proto == TCP {
		c.payload(k.Side, k, "data", n)
		// Draw the ACK only when the kernel says it came: the receiver may
		// delay it (delayed ACK, up to 40 ms on Linux), and then the facts
		// below show the bytes still unacknowledged.
		if waitAcked(k.FD, 60*time.Millisecond) {
			c.packet(k.Side.Other(), k, "ACK")
		}
	} else if err == nil {
		c.payload(k.Side, k, "datagram", n)
	}
	c.data = data[:max(n, 0)]
	_, err = s.done(c, fmt.Sprintf("%d", n), err)
	return err
}

// recv reads what has arrived, up to size bytes. A return of 0 on TCP means
// the other side closed its end (its FIN arrived): there will be no more.
func (s *Session) recv(ctx context.Context, name string, size int) error {
	k, err := s.need(name)
	if err != nil {
		return err
	}
	c := s.begin(k, "recv", "%d, %d, 0", k.FD, size)
	if err := s.wait(ctx, k.FD, unix.POLLIN); err != nil {
		return err
	}
	buf := make([]byte, size)
	n, _, err := unix.Recvfrom(k.FD, buf, 0)
	if err != nil {
		_, err = s.done(c, "", err)
		return err
	}
	c.data = buf[:n]
	if n == 0 && k.Proto == TCP {
		c.note = "call.eof"
		c.data = nil
		k.hungUp = true
	}
	_, err = s.done(c, fmt.Sprintf("%d", n), nil)
	return err
}

// quoteData shows a payload in a call the way a learner would write it.
// It is our own text, so it is known to be safe to print.
func quoteData(b []byte) string {
	if len(b) > 40 {
		return fmt.Sprintf("%q…(%d bytes)", b[:40], len(b))
	}
	return fmt.Sprintf("%q", b)
}
