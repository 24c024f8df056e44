package lessons

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"sync"
	"time"

	"github.com/sockstep/sockstep/lessons/sock"
	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// lab is the bench of one experiment: the descriptors it opened, all on
// loopback, closed together on every path (close is deferred right after
// newLab). Experiments keep their sockets here rather than in the session,
// so that thousands of calls do not flood the timeline; the calls worth
// seeing are shown with show.
type lab struct {
	s   *Session
	mu  sync.Mutex // servers of an experiment accept in goroutines
	fds []int
	// watched are the ports the session's capture keeps for this
	// experiment, given back when it closes.
	watched []wirePort
}

// labHost is where every experiment runs: loopback only, always.
var labHost = netip.MustParseAddr("127.0.0.1")

func (s *Session) newLab() *lab { return &lab{s: s} }

// close closes every descriptor the experiment opened.
func (l *lab) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, fd := range l.fds {
		unix.Close(fd)
	}
	l.fds = nil
	// The FINs and resets of those closes have been handed to the
	// capture already (loopback's tap runs inside the sending call).
	for _, p := range l.watched {
		l.s.unwatch(p.proto, p.port)
	}
	l.watched = nil
}

// watch asks the session's capture for the packets of one of the
// experiment's ports, owned by side.
func (l *lab) watch(proto Proto, port uint16, side Side) {
	l.s.watch(proto, port, side)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.watched = append(l.watched, wirePort{proto, port})
}

// keep records a descriptor to close with the lab.
func (l *lab) keep(fd int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fds = append(l.fds, fd)
}

// forget closes one descriptor early (a client that hangs up).
func (l *lab) forget(fd int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, f := range l.fds {
		if f == fd {
			unix.Close(fd)
			l.fds = append(l.fds[:i], l.fds[i+1:]...)
			return
		}
	}
}

// socket makes an IPv4 socket, close-on-exec.
func (l *lab) socket(proto Proto) (int, error) {
	typ := unix.SOCK_DGRAM
	if proto == TCP {
		typ = unix.SOCK_STREAM
	}
	fd, err := sock.Socket(unix.AF_INET, typ, 0)
	if err != nil {
		return -1, os.NewSyscallError("socket", err)
	}
	l.keep(fd)
	return fd, nil
}

// bound makes a socket bound to a free loopback port.
func (l *lab) bound(proto Proto) (int, netip.AddrPort, error) {
	fd, err := l.socket(proto)
	if err != nil {
		return -1, netip.AddrPort{}, err
	}
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: labHost.As4()}); err != nil {
		return -1, netip.AddrPort{}, os.NewSyscallError("bind", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return -1, netip.AddrPort{}, err
	}
	ap, _ := addrPort(sa)
	return fd, ap, nil
}

// udpPair is a sender and a receiver, both bound to free loopback ports;
// to is the receiver's address in the kernel's form.
func (l *lab) udpPair() (tx, rx int, addr netip.AddrPort, to *unix.SockaddrInet4, err error) {
	if tx, _, err = l.bound(UDP); err != nil {
		return
	}
	if rx, addr, err = l.bound(UDP); err != nil {
		return
	}
	l.watch(UDP, addr.Port(), Server)
	return tx, rx, addr, &unix.SockaddrInet4{Addr: addr.Addr().As4(), Port: int(addr.Port())}, nil
}

// listener makes a listening TCP socket on a free loopback port.
func (l *lab) listener(backlog int) (int, netip.AddrPort, error) {
	fd, addr, err := l.bound(TCP)
	if err != nil {
		return -1, addr, err
	}
	l.watch(TCP, addr.Port(), Server)
	if err := unix.Listen(fd, backlog); err != nil {
		return -1, addr, os.NewSyscallError("listen", err)
	}
	return fd, addr, nil
}

// dial connects a new TCP socket to addr, waiting at most limit.
func (l *lab) dial(ctx context.Context, addr netip.AddrPort, limit time.Duration) (int, error) {
	fd, err := l.socket(TCP)
	if err != nil {
		return -1, err
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		return -1, err
	}
	err = unix.Connect(fd, &unix.SockaddrInet4{Addr: addr.Addr().As4(), Port: int(addr.Port())})
	if errors.Is(err, unix.EINPROGRESS) {
		if err = l.wait(ctx, fd, unix.POLLOUT, limit); err == nil {
			var soerr int
			soerr, err = unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
			if err == nil && soerr != 0 {
				err = unix.Errno(soerr)
			}
		}
	}
	if err != nil {
		return -1, os.NewSyscallError("connect", err)
	}
	return fd, unix.SetNonblock(fd, false)
}

// accept takes one connection from a listener, waiting at most limit.
func (l *lab) accept(ctx context.Context, lfd int, limit time.Duration) (int, error) {
	if err := l.wait(ctx, lfd, unix.POLLIN, limit); err != nil {
		return -1, err
	}
	fd, _, err := sock.Accept(lfd)
	if err != nil {
		return -1, os.NewSyscallError("accept", err)
	}
	l.keep(fd)
	return fd, nil
}

// tcpPair is a connected pair: client and the server's accepted socket.
func (l *lab) tcpPair(ctx context.Context) (client, server int, err error) {
	lfd, addr, err := l.listener(1)
	if err != nil {
		return -1, -1, err
	}
	if client, err = l.dial(ctx, addr, labWait); err != nil {
		return -1, -1, err
	}
	if server, err = l.accept(ctx, lfd, labWait); err != nil {
		return -1, -1, err
	}
	l.forget(lfd)
	return client, server, nil
}

// labWait bounds every wait of an experiment: on loopback an answer comes
// in microseconds, so a second means something is wrong.
const labWait = 2 * time.Second

// errLabTimeout is a wait that ran out.
var errLabTimeout = errors.New("nothing happened within the experiment's time limit")

// wait polls fd for events, at most limit, ending early if ctx ends.
func (l *lab) wait(ctx context.Context, fd int, events int16, limit time.Duration) error {
	ready, err := l.ready(ctx, fd, events, limit)
	if err == nil && !ready {
		err = labFailed(errLabTimeout, "exp.err.waited", "waited %s s", seconds(limit))
	}
	return err
}

// ready reports whether fd is ready for events within limit.
func (l *lab) ready(ctx context.Context, fd int, events int16, limit time.Duration) (bool, error) {
	deadline := time.Now().Add(limit)
	for {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		left := time.Until(deadline)
		if left < 0 {
			return false, nil
		}
		slice := min(left, 50*time.Millisecond)
		fds := []unix.PollFd{{Fd: int32(fd), Events: events}}
		n, err := unix.Poll(fds, max(int(slice/time.Millisecond), 1))
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return false, os.NewSyscallError("poll", err)
		}
		if n > 0 {
			return true, nil
		}
	}
}

// recv reads once from fd (waiting at most limit), with flags.
func (l *lab) recv(ctx context.Context, fd int, buf []byte, flags int, limit time.Duration) (int, error) {
	if err := l.wait(ctx, fd, unix.POLLIN, limit); err != nil {
		return 0, err
	}
	n, _, err := unix.Recvfrom(fd, buf, flags)
	if err != nil {
		return 0, os.NewSyscallError("recv", err)
	}
	return n, nil
}

// sendAll writes every byte of p to a blocking stream socket.
func sendAll(fd int, p []byte) error {
	for len(p) > 0 {
		n, err := unix.Write(fd, p)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return os.NewSyscallError("send", err)
		}
		p = p[n:]
	}
	return nil
}

// show reports one representative call of an experiment. An error it
// shows is one the experiment set out to show (ECONNREFUSED, EAGAIN).
func (l *lab) show(side Side, text, ret string, err error, data []byte) {
	l.showOn("", side, text, ret, err, data)
}

// showOn is show for a call whose protocol the explanation of its error
// depends on (ECONNREFUSED: a reset for TCP, an ICMP message for UDP).
func (l *lab) showOn(proto Proto, side Side, text, ret string, err error, data []byte) {
	c := Call{Side: side, Text: text, Ret: ret, Data: data, Peer: side == Server, Proto: proto}
	if err != nil {
		c.Err, c.Expected = err, true
		l.s.shownFailing(err)
	}
	l.s.ui.Call(c)
}

// payload is n bytes of readable text, so what arrives can be shown and
// checked: "abcdefghij…" repeated.
func payload(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = 'a' + byte(i%26)
	}
	return p
}
