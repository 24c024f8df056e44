package lessons

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// Addresses: the address a server binds decides who can reach it (ip(7):
// INADDR_ANY binds all local addresses); every accepted socket shares the
// listener's address and port and is told apart by the peer's (the
// four-tuple); TCP and UDP ports are separate spaces; a client that does
// not bind gets an ephemeral port from ip_local_port_range (ip(7)).

// labHost2 is a second loopback address: all of 127.0.0.0/8 is loopback
// on Linux, reachable without configuring anything.
var labHost2 = netip.MustParseAddr("127.0.0.2")

// reachResult is one listener and who could connect to it.
type reachResult struct {
	Bound netip.AddrPort // what the listener bound
	To    []reachTry
}

// reachTry is one connect to the listener's port at one address.
type reachTry struct {
	Addr netip.AddrPort
	Err  error // nil: connected; ECONNREFUSED: nobody there
}

// bindReach binds one listener each to 127.0.0.1, 0.0.0.0 and 127.0.0.2,
// and connects to each one's port at 127.0.0.1 and at 127.0.0.2. The
// any-address listener exists for a few milliseconds, accepts nothing and
// sends nothing, and is tied to the loopback device so that only this
// machine can reach it; every connection the lesson makes goes to
// 127.0.0.0/8.
func (l *lab) bindReach(ctx context.Context) ([]reachResult, error) {
	var out []reachResult
	for _, host := range []netip.Addr{labHost, netip.IPv4Unspecified(), labHost2} {
		lfd, err := l.socket(TCP)
		if err != nil {
			return out, err
		}
		if host.IsUnspecified() {
			// The any-address listener is tied to the loopback device
			// (SO_BINDTODEVICE, socket(7); no privilege needed since Linux
			// 5.7): it still binds 0.0.0.0 and is reached at every
			// 127.0.0.0/8 address, but no packet from another machine
			// reaches it, not even in the milliseconds it exists. Binding
			// beyond loopback stays the classroom's opt-in.
			if err := unix.SetsockoptString(lfd, unix.SOL_SOCKET, unix.SO_BINDTODEVICE, "lo"); err != nil {
				return out, fmt.Errorf("setsockopt SO_BINDTODEVICE lo: %w", err)
			}
			l.show(Server, fmt.Sprintf("setsockopt(%d, SOL_SOCKET, SO_BINDTODEVICE, \"lo\")", lfd), "0", nil, nil)
		}
		if err := unix.Bind(lfd, &unix.SockaddrInet4{Addr: host.As4()}); err != nil {
			return out, fmt.Errorf("bind: %w", err)
		}
		if err := unix.Listen(lfd, 4); err != nil {
			return out, fmt.Errorf("listen: %w", err)
		}
		sa, err := unix.Getsockname(lfd)
		if err != nil {
			return out, err
		}
		bound, _ := addrPort(sa)
		l.watch(TCP, bound.Port(), Server)
		l.show(Server, fmt.Sprintf("bind(%d, %s); listen(%d, 4)", lfd, bound, lfd), "0", nil, nil)
		r := reachResult{Bound: bound}
		for _, to := range []netip.Addr{labHost, labHost2} {
			ap := netip.AddrPortFrom(to, bound.Port())
			c, err := l.dial(ctx, ap, labWait)
			if err != nil && !errors.Is(err, unix.ECONNREFUSED) {
				return out, err
			}
			r.To = append(r.To, reachTry{Addr: ap, Err: errnoOnly(err)})
			if err == nil {
				l.forget(c) // the rows say who got through
			}
		}
		l.forget(lfd)
		out = append(out, r)
	}
	return out, nil
}

// errnoOnly is err's errno, without the wrapping ("connect: ").
func errnoOnly(err error) error {
	if n := ErrnoOf(err); n != 0 {
		return n
	}
	return err
}

// tupleResult is a listener and the connections it accepted.
type tupleResult struct {
	Listener netip.AddrPort
	Conns    []tupleConn
}

// tupleConn is one connection seen from both ends.
type tupleConn struct {
	Client       netip.AddrPort // the client's getsockname
	Local, Peer  netip.AddrPort // the accepted socket's getsockname, getpeername
	ListenerSide bool           // Local is the listener's address and port
}

// fourTuple accepts n clients and asks each accepted socket for both of
// its addresses.
func (l *lab) fourTuple(ctx context.Context, n int) (tupleResult, error) {
	var res tupleResult
	lfd, addr, err := l.listener(n)
	if err != nil {
		return res, err
	}
	res.Listener = addr
	l.show(Server, fmt.Sprintf("bind(%d, %s); listen(%d, %d)", lfd, addr, lfd, n), "0", nil, nil)
	for i := 0; i < n; i++ {
		c, err := l.dial(ctx, addr, labWait)
		if err != nil {
			return res, err
		}
		conn, err := l.accept(ctx, lfd, labWait)
		if err != nil {
			return res, err
		}
		var tc tupleConn
		if sa, err := unix.Getsockname(c); err == nil {
			tc.Client, _ = addrPort(sa)
		}
		if sa, err := unix.Getsockname(conn); err == nil {
			tc.Local, _ = addrPort(sa)
		}
		if sa, err := unix.Getpeername(conn); err == nil {
			tc.Peer, _ = addrPort(sa)
		}
		tc.ListenerSide = tc.Local == addr
		l.show(Server, fmt.Sprintf("getsockname(%d); getpeername(%d)", conn, conn), tc.Local.String()+", "+tc.Peer.String(), nil, nil)
		res.Conns = append(res.Conns, tc)
	}
	return res, nil
}

// portsResult is one port number bound with TCP and UDP.
type portsResult struct {
	Port     int
	UDPErr   error // binding UDP to the TCP socket's port: nil
	TCP2Err  error // binding a second TCP socket there: EADDRINUSE
	UDPBound netip.AddrPort
}

// portSpaces binds a TCP socket, then a UDP socket and a second TCP
// socket to the same address and port.
func (l *lab) portSpaces() (portsResult, error) {
	var res portsResult
	var t, u int
	var addr netip.AddrPort
	var sa *unix.SockaddrInet4
	// The TCP port is free for TCP; the same number may be taken for UDP
	// by some other program. Then try another, so that what the lesson
	// shows is TCP and UDP, not a stranger's socket.
	for try := 0; ; try++ {
		var err error
		if t, addr, err = l.bound(TCP); err != nil {
			return res, err
		}
		sa = &unix.SockaddrInet4{Addr: addr.Addr().As4(), Port: int(addr.Port())}
		if u, err = l.socket(UDP); err != nil {
			return res, err
		}
		res.UDPErr = unix.Bind(u, sa)
		if !errors.Is(res.UDPErr, unix.EADDRINUSE) || try == 10 {
			break
		}
		l.forget(t)
		l.forget(u)
	}
	res.Port = int(addr.Port())
	l.show(Server, fmt.Sprintf("bind(%d /* TCP */, %s)", t, addr), "0", nil, nil)
	l.show(Server, fmt.Sprintf("bind(%d /* UDP */, %s)", u, addr), retOf(res.UDPErr), res.UDPErr, nil)
	t2, err := l.socket(TCP)
	if err != nil {
		return res, err
	}
	res.TCP2Err = unix.Bind(t2, sa)
	l.show(Server, fmt.Sprintf("bind(%d /* TCP */, %s)", t2, addr), retOf(res.TCP2Err), res.TCP2Err, nil)
	return res, nil
}

func retOf(err error) string {
	if err != nil {
		return "-1"
	}
	return "0"
}

// ephemeralResult is where unbound clients' ports came from.
type ephemeralResult struct {
	Low, High int            // /proc/sys/net/ipv4/ip_local_port_range
	TCP       netip.AddrPort // a TCP client's address after connect
	UDP       netip.AddrPort // a UDP socket's address after its first sendto
	UDPBefore netip.AddrPort // the same before: port 0
}

// ephemeral connects a TCP client and sends from a UDP socket, neither of
// them bound, and asks the kernel which port each got.
func (l *lab) ephemeral(ctx context.Context) (ephemeralResult, error) {
	var res ephemeralResult
	res.Low, res.High, _ = ephemeralRange()
	lfd, addr, err := l.listener(1)
	if err != nil {
		return res, err
	}
	c, err := l.dial(ctx, addr, labWait)
	if err != nil {
		return res, err
	}
	l.forget(lfd)
	if sa, err := unix.Getsockname(c); err == nil {
		res.TCP, _ = addrPort(sa)
	}
	l.show(Client, fmt.Sprintf("connect(%d, %s)", c, addr), "0", nil, nil)
	l.show(Client, fmt.Sprintf("getsockname(%d)", c), res.TCP.String(), nil, nil)
	u, err := l.socket(UDP)
	if err != nil {
		return res, err
	}
	_, to, err := l.bound(UDP)
	if err != nil {
		return res, err
	}
	// The receiver's port goes to the capture, as udpPair's does: the
	// step's packets then include the datagram.
	l.watch(UDP, to.Port(), Server)
	if sa, err := unix.Getsockname(u); err == nil {
		res.UDPBefore, _ = addrPort(sa)
	}
	l.show(Client, fmt.Sprintf("getsockname(%d)", u), res.UDPBefore.String(), nil, nil)
	if err := unix.Sendto(u, []byte("hi"), 0, &unix.SockaddrInet4{Addr: to.Addr().As4(), Port: int(to.Port())}); err != nil {
		return res, fmt.Errorf("sendto: %w", err)
	}
	l.show(Client, fmt.Sprintf("sendto(%d, \"hi\", 0, %s)", u, to), "2", nil, nil)
	if sa, err := unix.Getsockname(u); err == nil {
		res.UDP, _ = addrPort(sa)
	}
	l.show(Client, fmt.Sprintf("getsockname(%d)", u), res.UDP.String(), nil, nil)
	return res, nil
}

var addressesExperiment = &Spec{Action: "addresses",
	Example: "experiment addresses case=bind",
	Params: []Param{
		{Name: "case", Required: true, Values: []string{"bind", "tuple", "ports", "ephemeral"}},
	},
	preview: func(s *Session, a args) string {
		switch a.get("case") {
		case "bind":
			return "for host in 127.0.0.1, 0.0.0.0, 127.0.0.2: bind(srv, host:0); listen(srv)\n" +
				"    connect(c, 127.0.0.1:port); connect(c, 127.0.0.2:port)"
		case "tuple":
			return "bind(srv, 127.0.0.1:0); listen(srv)\nconnect(a); connect(b); accept(srv) × 2\ngetsockname(conn); getpeername(conn)"
		case "ports":
			return "bind(tcp, 127.0.0.1:0)\nbind(udp, " + s.text("exp.addresses.call.same") + "); bind(tcp2, " + s.text("exp.addresses.call.same") + ")"
		}
		return "cat /proc/sys/net/ipv4/ip_local_port_range\nconnect(c, srv); getsockname(c)\nsendto(u, rx); getsockname(u)"
	},
	run: func(ctx context.Context, s *Session, a args) error {
		l := s.newLab()
		defer l.close()
		title := "exp.addresses.title"
		switch a.get("case") {
		case "bind":
			res, err := l.bindReach(ctx)
			if err != nil {
				return err
			}
			var rows []Row
			for _, r := range res {
				var ok, no []string
				for _, t := range r.To {
					if t.Err == nil {
						ok = append(ok, t.Addr.Addr().String())
					} else {
						no = append(no, t.Addr.Addr().String()+" "+ErrnoName(ErrnoOf(t.Err)))
					}
				}
				rows = append(rows, Row{Key: "exp.addresses.reach", Args: []any{r.Bound.Addr().String(), joinOr(ok), joinOr(no)}})
			}
			s.measure(Measurement{Title: title, Rows: rows})
		case "tuple":
			res, err := l.fourTuple(ctx, 2)
			if err != nil {
				return err
			}
			rows := []Row{{Key: "exp.addresses.listener", Args: []any{res.Listener.String()}}}
			for i, c := range res.Conns {
				rows = append(rows, Row{Key: "exp.addresses.tuple", Args: []any{i + 1, c.Local.String(), c.Peer.String()}})
			}
			s.measure(Measurement{Title: title, Rows: rows})
		case "ports":
			res, err := l.portSpaces()
			if err != nil {
				return err
			}
			s.measure(Measurement{Title: title, Rows: []Row{
				{Key: "exp.addresses.ports", Args: []any{res.Port, errText(res.UDPErr), errText(res.TCP2Err)}},
			}})
		default:
			res, err := l.ephemeral(ctx)
			if err != nil {
				return err
			}
			s.measure(Measurement{Title: title, Rows: []Row{
				{Key: "exp.addresses.range", Args: []any{res.Low, res.High}},
				{Key: "exp.addresses.tcp-port", Args: []any{int(res.TCP.Port())}},
				{Key: "exp.addresses.udp-port", Args: []any{int(res.UDPBefore.Port()), int(res.UDP.Port())}},
			}})
		}
		return nil
	}}

// joinOr lists addresses, or "-" for none.
func joinOr(s []string) string {
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ", ")
}

// errText is "0" for success, or the errno's name.
func errText(err error) string {
	if err == nil {
		return "0"
	}
	return ErrnoName(ErrnoOf(err))
}
