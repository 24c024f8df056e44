package lessons

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// Reset: a connection ends with FIN (an orderly close: the peer's recv
// returns 0) or with RST (an abort: the peer's next call fails with
// ECONNRESET). Linux sends RST when a socket is closed with data still
// unread (RFC 2525 §2.17; tcp_close) or with SO_LINGER set to 0
// (socket(7)); a write after the peer has closed draws a RST, and the
// write after that fails with EPIPE and raises SIGPIPE unless MSG_NOSIGNAL
// is given (send(2)). A server that forgets close leaves its connections
// in CLOSE_WAIT; keepalive (socket(7) SO_KEEPALIVE, tcp(7) TCP_KEEPIDLE,
// TCP_KEEPINTVL, TCP_KEEPCNT) probes an idle connection.

// endResult is how the client saw the server end the connection.
type endResult struct {
	How      string // "fin": read then close; "unread": close with data unread; "linger": SO_LINGER 0
	Unread   int    // bytes waiting on the server's socket when it closed (SIOCINQ)
	Ret      int    // what the client's recv returned
	Err      error  // or what it failed with
	State    string // the client's socket afterwards (TCP_INFO)
	Closer   string // the server's connection in the kernel's table after close, "" gone
	closerOK bool   // Closer could be read
}

// serverEnds connects a client, lets it send a request, and ends the
// connection from the server's side the way how says; then the client
// reads.
func (l *lab) serverEnds(ctx context.Context, how string) (endResult, error) {
	res := endResult{How: how}
	c, srv, err := l.tcpPair(ctx)
	if err != nil {
		return res, err
	}
	req := []byte("GET /")
	if how != "linger" {
		if err := sendAll(c, req); err != nil {
			return res, err
		}
		l.show(Client, fmt.Sprintf("send(%d, %q, 0)", c, req), strconv.Itoa(len(req)), nil, nil)
		if err := l.wait(ctx, srv, unix.POLLIN, labWait); err != nil {
			return res, err
		}
	}
	if how == "fin" {
		// The server reads the request: nothing is left unread.
		if _, err := l.recv(ctx, srv, make([]byte, 1024), 0, labWait); err != nil {
			return res, err
		}
	}
	if how == "linger" {
		lg := unix.Linger{Onoff: 1, Linger: 0}
		if err := unix.SetsockoptLinger(srv, unix.SOL_SOCKET, unix.SO_LINGER, &lg); err != nil {
			return res, os.NewSyscallError("setsockopt(SO_LINGER)", err)
		}
		l.show(Server, fmt.Sprintf("setsockopt(%d, SOL_SOCKET, SO_LINGER, {on, 0 s})", srv), "0", nil, nil)
	}
	res.Unread = inQueue(srv)
	local, remote, err := sockNames(srv)
	if err != nil {
		return res, err
	}
	l.forget(srv)
	l.show(Server, fmt.Sprintf("close(%d)", srv), "0", nil, nil)
	res.Closer, _ = closedTCPState(unix.AF_INET, local, remote)
	res.closerOK = true
	buf := make([]byte, 1024)
	if err := l.wait(ctx, c, unix.POLLIN, labWait); err != nil {
		return res, err
	}
	n, _, err := unix.Recvfrom(c, buf, 0)
	if err != nil && !errors.Is(err, unix.ECONNRESET) {
		return res, os.NewSyscallError("recv", err)
	}
	res.Ret, res.Err = n, err
	ret := strconv.Itoa(n)
	if err != nil {
		ret = "-1"
	}
	l.show(Client, fmt.Sprintf("recv(%d, 1024, 0)", c), ret, err, nil)
	res.State = tcpState(c)
	return res, nil
}

// sockNames is a connected socket's own address and its peer's.
func sockNames(fd int) (local, remote netip.AddrPort, err error) {
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return local, remote, os.NewSyscallError("getsockname", err)
	}
	pa, err := unix.Getpeername(fd)
	if err != nil {
		return local, remote, os.NewSyscallError("getpeername", err)
	}
	local, _ = addrPort(sa)
	remote, _ = addrPort(pa)
	return local, remote, nil
}

// pipeResult is two writes to a connection the peer has closed.
type pipeResult struct {
	First   int   // what the first write returned
	Second  error // what the second failed with
	SIGPIPE int   // SIGPIPE signals that arrived during the second
}

// os/signal starts its one watching goroutine at the first Notify and
// keeps it for the life of the process (sockstep's main starts it anyway,
// with NotifyContext). Starting it here, not in the middle of the epipe
// experiment, keeps the goroutines an experiment leaves behind its own:
// none. Notify then Stop leaves SIGPIPE as Go handles it by default.
func init() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGPIPE)
	signal.Stop(c)
}

// writeAfterClose closes the server's end with a FIN, then writes from
// the client twice. The first write is accepted and draws a RST; the
// second fails with EPIPE and raises SIGPIPE, caught here with
// signal.Notify (Go ignores SIGPIPE for sockets anyway; C dies of it).
func (l *lab) writeAfterClose(ctx context.Context) (pipeResult, error) {
	var res pipeResult
	c, srv, err := l.tcpPair(ctx)
	if err != nil {
		return res, err
	}
	l.forget(srv)
	l.show(Server, fmt.Sprintf("close(%d)", srv), "0", nil, nil)
	if err := l.wait(ctx, c, unix.POLLIN, labWait); err != nil { // the FIN
		return res, err
	}
	n, err := unix.Write(c, []byte("first"))
	if err != nil {
		return res, os.NewSyscallError("send", err)
	}
	res.First = n
	l.show(Client, fmt.Sprintf("send(%d, \"first\", 0)", c), strconv.Itoa(n), nil, nil)
	if err := l.wait(ctx, c, unix.POLLERR, labWait); err != nil { // the RST
		return res, err
	}
	sig := make(chan os.Signal, 8)
	signal.Notify(sig, syscall.SIGPIPE)
	_, err = unix.Write(c, []byte("second"))
	// A signal is delivered before the call returns; Notify's relay
	// takes a moment to hand it over.
	deadline := time.After(quietWait)
	for wait := true; wait; {
		select {
		case <-sig:
			res.SIGPIPE++
		case <-deadline:
			wait = false
		}
	}
	signal.Stop(sig)
	res.Second = err
	if err == nil || !errors.Is(err, unix.EPIPE) {
		return res, labFailed(errLabTimeout, "exp.reset.err.epipe", "a second send after the peer's RST returned %s, not EPIPE", l.s.errName(err))
	}
	l.show(Client, fmt.Sprintf("send(%d, \"second\", 0)", c), "-1", err, nil)
	return res, nil
}

// closeWaitResult is a server that never closes its connections.
type closeWaitResult struct {
	Clients   int
	Waiting   int // server sockets in CLOSE_WAIT, by TCP_INFO
	Table     int // entries in CLOSE_WAIT on the server's port in /proc/net/tcp, -1 unknown
	AfterFix  int // the same, once the server closed them
	ClientEnd string
}

// forgetfulServer accepts clients that hang up, and does not close.
func (l *lab) forgetfulServer(ctx context.Context, clients int) (closeWaitResult, error) {
	res := closeWaitResult{Clients: clients}
	lfd, addr, err := l.listener(clients)
	if err != nil {
		return res, err
	}
	var conns []int
	for range clients {
		c, err := l.dial(ctx, addr, labWait)
		if err != nil {
			return res, err
		}
		conn, err := l.accept(ctx, lfd, labWait)
		if err != nil {
			return res, err
		}
		conns = append(conns, conn)
		l.forget(c)
	}
	l.show(Client, fmt.Sprintf("connect(c, %s); close(c)   × %d", addr, clients), "0", nil, nil)
	l.show(Server, fmt.Sprintf("accept(%d) × %d", lfd, clients)+l.s.comment("exp.reset.call.never-close"), "fd", nil, nil)
	for _, conn := range conns {
		if err := l.wait(ctx, conn, unix.POLLIN, labWait); err != nil { // the FIN
			return res, err
		}
		if tcpState(conn) == "CLOSE_WAIT" {
			res.Waiting++
		}
	}
	res.Table = countStates(addr.Port(), "CLOSE_WAIT")
	for _, conn := range conns {
		l.forget(conn)
	}
	l.show(Server, fmt.Sprintf("close(conn) × %d", clients)+l.s.comment("exp.reset.call.fix"), "0", nil, nil)
	res.AfterFix = countStates(addr.Port(), "CLOSE_WAIT")
	return res, nil
}

var resetExperiment = &Spec{Action: "reset",
	Example: "experiment reset case=unread",
	Params: []Param{
		{Name: "case", Required: true, Values: []string{"unread", "linger", "epipe", "close-wait", "keepalive"}},
		{Name: "clients", Default: "3", Min: 1, Max: 20},
	},
	preview: func(s *Session, a args) string {
		switch a.get("case") {
		case "unread":
			return "send(c, \"GET /\"); recv(conn); close(conn); recv(c)\nsend(c, \"GET /\"); close(conn)" + s.comment("exp.reset.call.unread") + "\nrecv(c)"
		case "linger":
			return "setsockopt(conn, SOL_SOCKET, SO_LINGER, {on, 0 s}); close(conn)\nrecv(c, 1024, 0)"
		case "epipe":
			return "close(conn)\nsend(c, \"first\"); send(c, \"second\")"
		case "close-wait":
			return "connect(c, srv); accept(srv); close(c)   × " + a.get("clients") + "\n" + s.text("exp.reset.call.server-never")
		}
		return "getsockopt(c, SOL_SOCKET, SO_KEEPALIVE); getsockopt(c, IPPROTO_TCP, TCP_KEEPIDLE) …\n" +
			"setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, 1); TCP_KEEPIDLE 1; TCP_KEEPINTVL 1; TCP_KEEPCNT 3\n" + s.text("exp.reset.call.idle")
	},
	run: func(ctx context.Context, s *Session, a args) error {
		m := Measurement{Title: "exp.reset.title"}
		switch a.get("case") {
		case "unread", "linger":
			hows := []string{"fin", "unread"}
			if a.get("case") == "linger" {
				hows = []string{"linger"}
			}
			for _, how := range hows {
				l := s.newLab()
				res, err := l.serverEnds(ctx, how)
				l.close()
				if err != nil {
					return err
				}
				got := strconv.Itoa(res.Ret)
				if res.Err != nil {
					got = ErrnoName(ErrnoOf(res.Err))
				}
				m.Rows = append(m.Rows, Row{Key: "exp.reset.end." + how, Args: []any{res.Unread, got, res.State}})
				if res.Closer == "" {
					m.Rows = append(m.Rows, Row{Key: "exp.reset.closer-gone"})
				}
			}
		case "epipe":
			l := s.newLab()
			res, err := l.writeAfterClose(ctx)
			l.close()
			if err != nil {
				return err
			}
			m.Rows = append(m.Rows,
				Row{Key: "exp.reset.epipe", Args: []any{res.First, ErrnoName(ErrnoOf(res.Second))}},
				Row{Key: "exp.reset.sigpipe", Args: []any{res.SIGPIPE}})
		case "close-wait":
			l := s.newLab()
			res, err := l.forgetfulServer(ctx, a.int("clients"))
			l.close()
			if err != nil {
				return err
			}
			m.Rows = append(m.Rows, Row{Key: "exp.reset.close-wait", Args: []any{res.Clients, res.Waiting}})
			if res.Table >= 0 {
				m.Rows = append(m.Rows, Row{Key: "exp.reset.close-wait-table", Args: []any{res.Table, res.AfterFix}})
			}
		default:
			l := s.newLab()
			res, err := l.keepalive(ctx)
			l.close()
			if err != nil {
				return err
			}
			m.Rows = append(m.Rows, keepaliveRows(res)...)
		}
		s.measure(m)
		return nil
	}}
