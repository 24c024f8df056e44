package lessons

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/sockstep/sockstep/lessons/sock"
	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// Non-blocking sockets: with O_NONBLOCK, accept and recv return EAGAIN at
// once instead of waiting (socket(7), accept(2), recv(2)). A server that
// never waits in one call can wait for all its sockets at once with poll
// (poll(2)) and serve many clients in one thread: an event loop, the
// other answer to concurrency's one-thread-per-connection server.

// eagainResult is a non-blocking accept with no client and a
// non-blocking recv with no data.
type eagainResult struct {
	AcceptErr, RecvErr   error
	AcceptTook, RecvTook time.Duration
}

// nonblockingCalls sets O_NONBLOCK on a listener nobody calls and on a
// connected socket nobody writes to, and calls accept and recv once each.
func (l *lab) nonblockingCalls(ctx context.Context) (eagainResult, error) {
	var res eagainResult
	lfd, addr, err := l.listener(1)
	if err != nil {
		return res, err
	}
	if err := unix.SetNonblock(lfd, true); err != nil {
		return res, err
	}
	l.show(Server, fmt.Sprintf("fcntl(%d, F_SETFL, O_NONBLOCK)", lfd), "0", nil, nil)
	start := time.Now()
	fd, _, err := sock.Accept(lfd)
	res.AcceptTook = time.Since(start)
	if err == nil {
		unix.Close(fd)
		return res, labFailed(nil, "exp.nonblocking.err.accepted", "accept on a listener nobody called returned a connection")
	}
	res.AcceptErr = err
	l.show(Server, fmt.Sprintf("accept(%d)", lfd)+l.s.comment("exp.call.us", res.AcceptTook.Microseconds()), "-1", err, nil)
	c, err := l.dial(ctx, addr, labWait)
	if err != nil {
		return res, err
	}
	_ = c
	srv, err := l.accept(ctx, lfd, labWait)
	if err != nil {
		return res, err
	}
	if err := unix.SetNonblock(srv, true); err != nil {
		return res, err
	}
	l.show(Server, fmt.Sprintf("fcntl(%d, F_SETFL, O_NONBLOCK)", srv), "0", nil, nil)
	buf := make([]byte, 1024)
	start = time.Now()
	_, _, err = unix.Recvfrom(srv, buf, 0)
	res.RecvTook = time.Since(start)
	if err == nil {
		return res, labFailed(nil, "exp.nonblocking.err.data", "recv on a connection nobody wrote to returned data")
	}
	res.RecvErr = err
	l.show(Server, fmt.Sprintf("recv(%d, 1024, 0)", srv)+l.s.comment("exp.call.us", res.RecvTook.Microseconds()), "-1", err, nil)
	return res, nil
}

// loopEvent is one thing the event loop did.
type loopEvent struct {
	At     time.Duration
	Client string // "A", "B", "C"
	What   string // "accept", "echo", "closed"
	Bytes  int
}

// loopResult is one thread serving three clients with poll.
type loopResult struct {
	Events []loopEvent
	Polls  int           // poll calls the loop made
	Hold   time.Duration // how long A stayed silent
	// Waits: from each client's send to its reply.
	Waits map[string]time.Duration
}

// loopClients is the names of the clients, in the order they connect.
var loopClients = []string{"A", "B", "C"}

// pollServer serves three clients in one goroutine with poll. The clients
// connect first; then, in a goroutine of their own that ends before this
// returns, B and C each send a line and wait for its echo at once, while
// A stays silent for hold and only then sends; then all three hang up.
// The server never blocks in accept or recv: it blocks only in poll, on
// every socket at once.
func (l *lab) pollServer(ctx context.Context, hold time.Duration) (loopResult, error) {
	res := loopResult{Hold: hold, Waits: map[string]time.Duration{}}
	lfd, addr, err := l.listener(len(loopClients))
	if err != nil {
		return res, err
	}
	if err := unix.SetNonblock(lfd, true); err != nil {
		return res, err
	}
	names := map[int]string{} // client port → name
	clients := map[string]int{}
	for _, n := range loopClients {
		c, err := l.dial(ctx, addr, labWait)
		if err != nil {
			return res, err
		}
		sa, err := unix.Getsockname(c)
		if err != nil {
			return res, err
		}
		ap, _ := addrPort(sa)
		names[int(ap.Port())], clients[n] = n, c
	}
	start := time.Now()
	type wait struct {
		name string
		d    time.Duration
	}
	done := make(chan error, 1)
	waits := make(chan wait, len(loopClients))
	go func() {
		done <- l.loopClientsRun(ctx, clients, hold, func(name string, d time.Duration) { waits <- wait{name, d} })
	}()
	fds := []unix.PollFd{{Fd: int32(lfd), Events: unix.POLLIN}}
	who := map[int32]string{}
	closed := 0
	deadline := time.Now().Add(hold + 2*labWait)
	var serr error
	buf := make([]byte, 1024)
	for closed < len(loopClients) && serr == nil {
		if serr = ctx.Err(); serr != nil {
			break
		}
		if time.Now().After(deadline) {
			serr = labFailed(errLabTimeout, "exp.nonblocking.err.loop", "the event loop did not serve every client in time")
			break
		}
		n, err := unix.Poll(fds, 50)
		res.Polls++
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			serr = fmt.Errorf("poll: %w", err)
			break
		}
		if n == 0 {
			continue
		}
		var keep []unix.PollFd
		var added []unix.PollFd
		for _, p := range fds {
			if p.Revents == 0 {
				keep = append(keep, p)
				continue
			}
			if int(p.Fd) == lfd {
				keep = append(keep, p)
				for {
					fd, name, err := l.acceptNonblocking(lfd, names)
					if errors.Is(err, unix.EAGAIN) {
						break
					}
					if err != nil {
						serr = err
						break
					}
					who[int32(fd)] = name
					added = append(added, unix.PollFd{Fd: int32(fd), Events: unix.POLLIN})
					res.Events = append(res.Events, loopEvent{At: time.Since(start), Client: name, What: "accept"})
					l.show(Server, fmt.Sprintf("poll → %d POLLIN: accept(%d)", lfd, lfd), strconv.Itoa(fd)+" ("+name+")", nil, nil)
				}
				continue
			}
			fd := int(p.Fd)
			name := who[p.Fd]
			m, _, err := unix.Recvfrom(fd, buf, 0)
			if errors.Is(err, unix.EAGAIN) {
				keep = append(keep, p)
				continue
			}
			if err != nil || m == 0 {
				// Hung up (recv 0), or broken: either way, done.
				l.forget(fd)
				closed++
				res.Events = append(res.Events, loopEvent{At: time.Since(start), Client: name, What: "closed"})
				continue
			}
			keep = append(keep, p)
			if err := sendAll(fd, buf[:m]); err != nil {
				serr = err
				break
			}
			res.Events = append(res.Events, loopEvent{At: time.Since(start), Client: name, What: "echo", Bytes: m})
			l.show(Server, fmt.Sprintf("poll → %d POLLIN: recv(%d); send(%d)", fd, fd, fd), strconv.Itoa(m)+" ("+name+")", nil, buf[:m])
		}
		fds = append(keep, added...)
	}
	if serr != nil {
		// Wake the clients: they are waiting for echoes.
		for _, c := range clients {
			unix.Shutdown(c, unix.SHUT_RDWR)
		}
	}
	cerr := <-done
	close(waits)
	for w := range waits {
		res.Waits[w.name] = w.d
	}
	if serr == nil {
		serr = cerr
	}
	if serr == nil {
		l.show(Server, fmt.Sprintf("poll → POLLIN × %d: recv = 0; close", closed), "0", nil, nil)
	}
	return res, serr
}

// acceptNonblocking takes one connection from the non-blocking listener
// lfd (EAGAIN when there is none) and makes it non-blocking too.
func (l *lab) acceptNonblocking(lfd int, names map[int]string) (int, string, error) {
	fd, sa, err := sock.Accept(lfd)
	if err != nil {
		if errors.Is(err, unix.EAGAIN) {
			return -1, "", err
		}
		return -1, "", fmt.Errorf("accept: %w", err)
	}
	l.keep(fd)
	if err := unix.SetNonblock(fd, true); err != nil {
		return -1, "", err
	}
	ap, _ := addrPort(sa)
	name := names[int(ap.Port())]
	if name == "" {
		name = ap.String()
	}
	return fd, name, nil
}

// loopClientsRun is the three clients: B and C ask at once, A after hold;
// each waits for its echo, then all hang up.
func (l *lab) loopClientsRun(ctx context.Context, clients map[string]int, hold time.Duration, waited func(string, time.Duration)) error {
	ask := func(name string) error {
		c := clients[name]
		msg := []byte("hello from " + name)
		start := time.Now()
		if err := sendAll(c, msg); err != nil {
			return err
		}
		buf := make([]byte, 64)
		got := 0
		for got < len(msg) {
			n, err := l.recv(ctx, c, buf[got:], 0, labWait)
			if err != nil {
				return err
			}
			if n == 0 {
				return labFailed(nil, "exp.nonblocking.err.hung-up", "the server hung up")
			}
			got += n
		}
		waited(name, time.Since(start))
		return nil
	}
	for _, n := range []string{"B", "C"} {
		if err := ask(n); err != nil {
			return err
		}
	}
	select {
	case <-time.After(hold):
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := ask("A"); err != nil {
		return err
	}
	for _, n := range loopClients {
		unix.Shutdown(clients[n], unix.SHUT_WR)
	}
	return nil
}

// nonblockingHold reads hold=, how long the poll case's first client
// stays connected.
func nonblockingHold(a args) (time.Duration, error) {
	v := a.get("hold")
	hold, err := time.ParseDuration(v)
	if err != nil || hold < 10*time.Millisecond || hold > 5*time.Second {
		return 0, mistake("lint.d.duration", "%s=%q must be a duration from %s to %s", "hold", v, "10ms", "5s")
	}
	return hold, nil
}

var nonblockingExperiment = &Spec{Action: "nonblocking",
	Example: "experiment nonblocking case=poll hold=300ms",
	Params: []Param{
		{Name: "case", Required: true, Values: []string{"eagain", "poll"}},
		{Name: "hold", Default: "300ms"},
	},
	check: func(a args) error { _, err := nonblockingHold(a); return err },
	preview: func(s *Session, a args) string {
		if a.get("case") == "eagain" {
			return "fcntl(srv, F_SETFL, O_NONBLOCK); accept(srv)\nfcntl(conn, F_SETFL, O_NONBLOCK); recv(conn, 1024, 0)"
		}
		return "while clients: poll([srv, conn…]) → accept / recv + send / close\n" +
			s.text("exp.nonblocking.call.clients", a.get("hold"))
	},
	run: func(ctx context.Context, s *Session, a args) error {
		l := s.newLab()
		defer l.close()
		title := "exp.nonblocking.title"
		if a.get("case") == "eagain" {
			res, err := l.nonblockingCalls(ctx)
			if err != nil {
				return err
			}
			s.measure(Measurement{Title: title, Rows: []Row{
				{Key: "exp.nonblocking.accept", Args: []any{ErrnoName(ErrnoOf(res.AcceptErr)), res.AcceptTook.Microseconds()}},
				{Key: "exp.nonblocking.recv", Args: []any{ErrnoName(ErrnoOf(res.RecvErr)), res.RecvTook.Microseconds()}},
			}})
			return nil
		}
		hold, err := nonblockingHold(a)
		if err != nil {
			return err
		}
		res, err := l.pollServer(ctx, hold)
		if err != nil {
			return err
		}
		aAsked := hold
		for _, e := range res.Events {
			if e.Client == "A" && e.What == "echo" {
				aAsked = e.At
			}
		}
		s.measure(Measurement{Title: title, Rows: []Row{
			{Key: "exp.nonblocking.served", Args: []any{len(loopClients), res.Polls}},
			{Key: "exp.nonblocking.bc", Args: []any{ms(res.Waits["B"]), ms(res.Waits["C"]), ms(aAsked)}},
			{Key: "exp.nonblocking.a", Args: []any{ms(res.Waits["A"])}},
		}, Values: map[string]string{"b_wait": ms(res.Waits["B"]), "c_wait": ms(res.Waits["C"]), "a_spoke": ms(aAsked)}})
		return nil
	}}
