package lessons

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/sockstep/sockstep/lessons/sock"
	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// IPv6: the same calls with AF_INET6 and ::1 (ipv6(7)). An AF_INET6
// socket with IPV6_V6ONLY off (the default unless net.ipv6.bindv6only is
// set) also accepts IPv4 clients, which it sees as IPv4-mapped addresses,
// ::ffff:a.b.c.d (ipv6(7), RFC 4291 §2.5.5.2); with it on, IPv4 clients
// are not its business. The name localhost is turned into addresses by
// the hosts file, which may or may not list ::1 (hosts(5)); the lesson
// reads the file itself and never asks DNS, then sorts the addresses as
// getaddrinfo does (gaiOrder, RFC 6724) and connects in that order.

// ipv6Loopback is ::1, the IPv6 loopback address (RFC 4291 §2.5.3).
var ipv6Loopback = netip.IPv6Loopback()

// socket6 makes an IPv6 socket, close-on-exec.
func (l *lab) socket6(proto Proto) (int, error) {
	typ := unix.SOCK_DGRAM
	if proto == TCP {
		typ = unix.SOCK_STREAM
	}
	fd, err := sock.Socket(unix.AF_INET6, typ, 0)
	if err != nil {
		return -1, os.NewSyscallError("socket", err)
	}
	l.keep(fd)
	return fd, nil
}

// listen6 makes a listening IPv6 TCP socket on addr (port 0: the kernel
// picks), with IPV6_V6ONLY set to v6only unless it is negative.
func (l *lab) listen6(addr netip.Addr, v6only int) (int, netip.AddrPort, error) {
	fd, err := l.socket6(TCP)
	if err != nil {
		return -1, netip.AddrPort{}, err
	}
	if v6only >= 0 {
		if err := unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, v6only); err != nil {
			return -1, netip.AddrPort{}, os.NewSyscallError("setsockopt(IPV6_V6ONLY)", err)
		}
	}
	if addr.IsUnspecified() {
		// [::] is every address; tied to lo it is reached only from
		// this machine, even in the milliseconds it exists.
		if err := bindToLoopback(fd); err != nil {
			return -1, netip.AddrPort{}, err
		}
	}
	if err := unix.Bind(fd, &unix.SockaddrInet6{Addr: addr.As16()}); err != nil {
		return -1, netip.AddrPort{}, os.NewSyscallError("bind", err)
	}
	if err := unix.Listen(fd, 4); err != nil {
		return -1, netip.AddrPort{}, os.NewSyscallError("listen", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return -1, netip.AddrPort{}, os.NewSyscallError("getsockname", err)
	}
	ap := rawAddrPort(sa)
	l.watch(TCP, ap.Port(), Server)
	return fd, ap, nil
}

// rawAddrPort is an address as the kernel gave it: an IPv4-mapped IPv6
// address stays ::ffff:a.b.c.d, which is the point of this lesson.
func rawAddrPort(sa unix.Sockaddr) netip.AddrPort {
	if a, ok := sa.(*unix.SockaddrInet6); ok {
		return netip.AddrPortFrom(netip.AddrFrom16(a.Addr), uint16(a.Port))
	}
	ap, _ := addrPort(sa)
	return ap
}

// connectTo connects a new TCP socket of the address's family to ap,
// waiting at most labWait; it returns the errno of a refused connect
// rather than failing.
func (l *lab) connectTo(ctx context.Context, ap netip.AddrPort) (int, error) {
	var fd int
	var err error
	var sa unix.Sockaddr
	if ap.Addr().Is4() {
		fd, err = l.socket(TCP)
		sa = &unix.SockaddrInet4{Addr: ap.Addr().As4(), Port: int(ap.Port())}
	} else {
		fd, err = l.socket6(TCP)
		sa = &unix.SockaddrInet6{Addr: ap.Addr().As16(), Port: int(ap.Port())}
	}
	if err != nil {
		return -1, err
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		return -1, err
	}
	err = unix.Connect(fd, sa)
	if errors.Is(err, unix.EINPROGRESS) {
		if err = l.wait(ctx, fd, unix.POLLOUT, labWait); err == nil {
			var soerr int
			soerr, err = unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
			if err == nil && soerr != 0 {
				err = unix.Errno(soerr)
			}
		}
	}
	if err != nil {
		return fd, err
	}
	return fd, unix.SetNonblock(fd, false)
}

// v6Result is one IPv6 experiment. Missing says why ::1 could not be
// used on this machine ("" when it could).
type v6Result struct {
	Missing string

	// case=loopback
	Server, Client, Peer netip.AddrPort
	Echo                 string

	// case=dualstack
	V6onlyDefault int            // IPV6_V6ONLY on a new socket
	Bindv6only    int            // net.ipv6.bindv6only, -1 unknown
	MappedPeer    netip.AddrPort // the IPv4 client as the dual-stack server saw it
	MappedLocal   netip.AddrPort // the server's own end of that connection
	V6onlyErr     error          // an IPv4 connect to a v6-only listener

	// case=resolve
	Hosts     []netip.Addr // what /etc/hosts gives localhost, in the file's order
	Order     []netip.Addr // the same, in getaddrinfo's order (gaiOrder)
	Unusable  []netip.Addr // those with no route from this machine (rule 1)
	Lo        []string     // the addresses of the lo interface
	Attempts  []v6Attempt  // connects in Order, a server on ::1 only
	Skipped   []netip.Addr // not loopback: never connected to
	Connected bool         // one of the attempts connected
}

// v6Attempt is one connect to localhost's addresses in turn.
type v6Attempt struct {
	To  netip.AddrPort
	Err error
}

// IPv6Loopback reports whether this machine lets a socket bind ::1.
func IPv6Loopback() bool {
	l := (&Session{}).newLab()
	defer l.close()
	return l.checkIPv6() == ""
}

// checkIPv6 reports why ::1 cannot be used here, or "".
func (l *lab) checkIPv6() string {
	// The call and the errno's name: words that read the same in every
	// language.
	fd, err := l.socket6(TCP)
	if err != nil {
		return "socket(AF_INET6): " + l.s.errName(err)
	}
	defer l.forget(fd)
	if err := unix.Bind(fd, &unix.SockaddrInet6{Addr: ipv6Loopback.As16()}); err != nil {
		return "bind([::1]:0): " + l.s.errName(err)
	}
	return ""
}

// checkInet6 reports why this machine makes no IPv6 socket, or "". The
// dual-stack step needs only that: its listener is on [::] and its
// client IPv4, so it runs where lo has no ::1 (net.ipv6.conf.lo.
// disable_ipv6=1) as well.
func (l *lab) checkInet6() string {
	fd, err := l.socket6(TCP)
	if err != nil {
		return "socket(AF_INET6): " + l.s.errName(err)
	}
	l.forget(fd)
	return ""
}

// loopback6 is the notes' TCP client and server over ::1.
func (l *lab) loopback6(ctx context.Context) (v6Result, error) {
	var res v6Result
	if res.Missing = l.checkIPv6(); res.Missing != "" {
		return res, nil
	}
	lfd, addr, err := l.listen6(ipv6Loopback, -1)
	if err != nil {
		return res, err
	}
	res.Server = addr
	l.show(Server, fmt.Sprintf("socket(AF_INET6, SOCK_STREAM); bind(%d, %s); listen(%d)", lfd, addr, lfd), "0", nil, nil)
	c, err := l.connectTo(ctx, addr)
	if err != nil {
		return res, os.NewSyscallError("connect", err)
	}
	l.show(Client, fmt.Sprintf("connect(%d, %s)", c, addr), "0", nil, nil)
	conn, err := l.accept(ctx, lfd, labWait)
	if err != nil {
		return res, err
	}
	pa, err := unix.Getpeername(conn)
	if err != nil {
		return res, os.NewSyscallError("getpeername", err)
	}
	res.Peer = rawAddrPort(pa)
	if sa, err := unix.Getsockname(c); err == nil {
		res.Client = rawAddrPort(sa)
	}
	l.show(Server, fmt.Sprintf("accept(%d)", lfd)+l.s.comment("exp.ipv6.call.peer", res.Peer), "fd "+strconv.Itoa(conn), nil, nil)
	msg := []byte("hello over IPv6")
	if err := sendAll(c, msg); err != nil {
		return res, err
	}
	buf := make([]byte, 1024)
	n, err := l.recv(ctx, conn, buf, 0, labWait)
	if err != nil {
		return res, err
	}
	res.Echo = string(buf[:n])
	l.show(Server, fmt.Sprintf("recv(%d, 1024, 0)", conn), strconv.Itoa(n), nil, buf[:n])
	return res, nil
}

// dualStack listens on [::] with IPV6_V6ONLY off and connects an IPv4
// client to it; then the same with IPV6_V6ONLY on.
func (l *lab) dualStack(ctx context.Context) (v6Result, error) {
	res := v6Result{Bindv6only: -1}
	if res.Missing = l.checkInet6(); res.Missing != "" {
		return res, nil
	}
	probe, err := l.socket6(TCP)
	if err != nil {
		return res, err
	}
	if res.V6onlyDefault, err = unix.GetsockoptInt(probe, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY); err != nil {
		return res, os.NewSyscallError("getsockopt(IPV6_V6ONLY)", err)
	}
	l.forget(probe)
	// (Its value is shown with the measurement, beside bindv6only.)
	if data, err := os.ReadFile("/proc/sys/net/ipv6/bindv6only"); err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil {
			res.Bindv6only = n
		}
	}
	// [::] on a port the kernel picks, tied to lo (bindToLoopback):
	// only this machine reaches it.
	lfd, addr, err := l.listen6(netip.IPv6Unspecified(), 0)
	if err != nil {
		return res, err
	}
	l.show(Server, fmt.Sprintf("setsockopt(%d, IPV6_V6ONLY 0, SO_BINDTODEVICE \"lo\")", lfd), "0", nil, nil)
	l.show(Server, fmt.Sprintf("bind(%d, %s); listen(%d)", lfd, addr, lfd), "0", nil, nil)
	to4 := netip.AddrPortFrom(labHost, addr.Port())
	c, err := l.connectTo(ctx, to4)
	if err != nil {
		return res, os.NewSyscallError("connect", err)
	}
	l.show(Client, fmt.Sprintf("socket(AF_INET, SOCK_STREAM); connect(%d, %s)", c, to4), "0", nil, nil)
	conn, err := l.accept(ctx, lfd, labWait)
	if err != nil {
		return res, err
	}
	pa, err := unix.Getpeername(conn)
	if err != nil {
		return res, os.NewSyscallError("getpeername", err)
	}
	sa, err := unix.Getsockname(conn)
	if err != nil {
		return res, os.NewSyscallError("getsockname", err)
	}
	res.MappedPeer, res.MappedLocal = rawAddrPort(pa), rawAddrPort(sa)
	l.show(Server, fmt.Sprintf("accept(%d)", lfd)+l.s.comment("exp.ipv6.call.peer", res.MappedPeer), "fd "+strconv.Itoa(conn), nil, nil)
	l.forget(lfd)
	only, addr6, err := l.listen6(netip.IPv6Unspecified(), 1)
	if err != nil {
		return res, err
	}
	l.show(Server, fmt.Sprintf("setsockopt(%d, IPV6_V6ONLY, 1); bind(%d, %s); listen(%d)", only, only, addr6, only), "0", nil, nil)
	to4 = netip.AddrPortFrom(labHost, addr6.Port())
	c2, err := l.connectTo(ctx, to4)
	res.V6onlyErr = err
	if err == nil || !errors.Is(err, unix.ECONNREFUSED) {
		return res, labFailed(errLabTimeout, "exp.ipv6.err.v6only", "an IPv4 connect to a listener with IPV6_V6ONLY on returned %s, not ECONNREFUSED", l.s.errName(err))
	}
	l.show(Client, fmt.Sprintf("connect(%d, %s)", c2, to4), "-1", err, nil)
	return res, nil
}

// localhost6 reads what the hosts file says localhost is, orders those
// addresses as getaddrinfo does (gaiOrder), and connects to each in that
// order, as a client looping over getaddrinfo's results does (UNP §11.12
// tcp_connect; Python's socket.create_connection), to a server listening
// on ::1 only; it stops at the first that connects.
func (l *lab) localhost6(ctx context.Context, hosts string) (v6Result, error) {
	var res v6Result
	res.Hosts = hostsEntries(hosts, "localhost")
	if ifc, err := net.InterfaceByName("lo"); err == nil {
		if addrs, err := ifc.Addrs(); err == nil {
			for _, a := range addrs {
				res.Lo = append(res.Lo, a.String())
			}
		}
	}
	found := joinAddrs(res.Hosts)
	if found == "" {
		found = l.s.text("exp.ipv6.call.nothing")
	}
	l.show(Client, l.s.text("exp.ipv6.call.read", hosts, found), strconv.Itoa(len(res.Hosts)), nil, nil)
	usable := map[netip.Addr]bool{}
	for _, a := range res.Hosts {
		if usable[a] = routeUsable(a); !usable[a] {
			res.Unusable = append(res.Unusable, a)
		}
	}
	res.Order = gaiOrder(res.Hosts, func(a netip.Addr) bool { return usable[a] })
	if len(res.Order) > 0 {
		l.show(Client, l.s.text("exp.ipv6.call.order", joinAddrs(res.Order)), strconv.Itoa(len(res.Order)), nil, nil)
	}
	if res.Missing = l.checkIPv6(); res.Missing != "" {
		return res, nil
	}
	lfd, addr, err := l.listen6(ipv6Loopback, -1)
	if err != nil {
		return res, err
	}
	l.show(Server, fmt.Sprintf("bind(%d, %s); listen(%d)", lfd, addr, lfd)+l.s.comment("exp.ipv6.call.only"), "0", nil, nil)
	for _, a := range res.Order {
		if !a.IsLoopback() {
			// A hosts file may say anything; sockstep talks to this
			// machine only.
			res.Skipped = append(res.Skipped, a)
			continue
		}
		to := netip.AddrPortFrom(a, addr.Port())
		fd, err := l.connectTo(ctx, to)
		if err != nil && !errors.Is(err, unix.ECONNREFUSED) {
			return res, os.NewSyscallError("connect", err)
		}
		res.Attempts = append(res.Attempts, v6Attempt{To: to, Err: err})
		ret := "0"
		if err != nil {
			ret = "-1"
		}
		l.show(Client, fmt.Sprintf("connect(%d, %s)", fd, to), ret, err, nil)
		if err == nil {
			res.Connected = true
			break // a client stops at the first address that answers
		}
	}
	return res, nil
}

// precedence is an address's precedence in RFC 6724 §2.1's default
// policy table (longest matching prefix; an IPv4 address as its
// IPv4-mapped form, §3.2). glibc's default table (gai.conf(5), RFC 3484)
// differs in the rarer prefixes but agrees on the order that matters
// here: ::1 (50) before IPv4 (35 here, 10 there).
func precedence(a netip.Addr) int {
	a16 := netip.AddrFrom16(a.As16())
	best, prec := -1, 0
	for _, p := range policyTable {
		if p.prefix.Contains(a16) && p.prefix.Bits() > best {
			best, prec = p.prefix.Bits(), p.precedence
		}
	}
	return prec
}

// policyTable is RFC 6724 §2.1's default policy table (labels left out:
// rule 5 does not tell localhost's addresses apart).
var policyTable = []struct {
	prefix     netip.Prefix
	precedence int
}{
	{netip.MustParsePrefix("::1/128"), 50},
	{netip.MustParsePrefix("::/0"), 40},
	{netip.MustParsePrefix("::ffff:0:0/96"), 35},
	{netip.MustParsePrefix("2002::/16"), 30},
	{netip.MustParsePrefix("2001::/32"), 5},
	{netip.MustParsePrefix("fc00::/7"), 3},
	{netip.MustParsePrefix("::/96"), 1},
	{netip.MustParsePrefix("fec0::/10"), 1},
	{netip.MustParsePrefix("3ffe::/16"), 1},
}

// gaiOrder orders destination addresses as getaddrinfo does (RFC 6724
// §6; glibc's rfc3484_sort): rule 1, an address the machine has no route
// to (usable false) goes last; rule 6, higher precedence first, so ::1
// comes before 127.0.0.1; rule 8, then the smaller scope first (§3.1:
// loopback and link-local before global), so a hosts file that gives
// localhost a LAN address after 127.0.0.1 still has 127.0.0.1 first;
// rule 10, otherwise the order given. Rules 2 to 5 and 7, which look at
// the source address each destination would get, do not tell apart the
// loopback addresses localhost maps to, and rule 9, the longest matching
// prefix, is left out: two addresses of one family and scope stay in the
// file's order.
func gaiOrder(addrs []netip.Addr, usable func(netip.Addr) bool) []netip.Addr {
	out := slices.Clone(addrs)
	slices.SortStableFunc(out, func(a, b netip.Addr) int {
		if ua, ub := usable(a), usable(b); ua != ub {
			if ua {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(precedence(b), precedence(a)); c != 0 {
			return c
		}
		return cmp.Compare(scope(a), scope(b))
	})
	return out
}

// scope is an address's scope as RFC 6724 §3.1 and §3.2 number them:
// 2 link-local (fe80::/10, and ::1, 127.0.0.0/8 and 169.254.0.0/16,
// which the RFC treats as link-local), 5 site-local (fec0::/10), 14
// global (every other unicast address, IPv4's private ranges included);
// a multicast address carries its own.
func scope(a netip.Addr) int {
	a = a.Unmap()
	switch {
	case a.IsMulticast() && a.Is6():
		return int(a.As16()[1] & 0x0f)
	case a.IsLoopback(), a.IsLinkLocalUnicast():
		return 2
	case a.Is6() && netip.MustParsePrefix("fec0::/10").Contains(a):
		return 5
	}
	return 14
}

// routeUsable reports whether this machine has a way to a: glibc's
// getaddrinfo connects a UDP socket to each result to learn its source
// address, and a failed connect makes the address unusable (rule 1).
// Connecting a UDP socket sends nothing (connect(2), udp(7)).
func routeUsable(a netip.Addr) bool {
	fam := familyOf(a)
	sa, err := sockaddr(fam, netip.AddrPortFrom(a, 9))
	if err != nil {
		return false
	}
	fd, err := sock.Socket(fam, unix.SOCK_DGRAM, 0)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	return unix.Connect(fd, sa) == nil
}

// joinAddrs is as, comma-separated; "" for none.
func joinAddrs(as []netip.Addr) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}

// hostsEntries returns every address path gives name, in the file's
// order, as getaddrinfo's files lookup reads it (hosts(5)): unlike
// hostsLookup it does not fix localhost to 127.0.0.1, because what the
// file says is the lesson.
func hostsEntries(path, name string) []netip.Addr {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return lookupHosts(data, name)
}

func v6Measurement(c string, res v6Result) Measurement {
	m := Measurement{Title: "exp.ipv6.title"}
	if c == "resolve" {
		if len(res.Hosts) == 0 {
			m.Rows = append(m.Rows, Row{Key: "exp.ipv6.hosts-none"})
		} else {
			m.Rows = append(m.Rows, Row{Key: "exp.ipv6.hosts", Args: []any{joinAddrs(res.Hosts)}})
		}
		if len(res.Order) > 1 {
			m.Rows = append(m.Rows, Row{Key: "exp.ipv6.order", Args: []any{joinAddrs(res.Order)}})
		}
		if len(res.Unusable) > 0 {
			m.Rows = append(m.Rows, Row{Key: "exp.ipv6.unusable", Args: []any{joinAddrs(res.Unusable)}})
		}
		if len(res.Hosts) > 0 && !slices.ContainsFunc(res.Hosts, netip.Addr.Is6) {
			m.Rows = append(m.Rows, Row{Key: "exp.ipv6.hosts-no6", Args: []any{joinAddrs(res.Hosts)}})
		}
		if len(res.Lo) > 0 {
			m.Rows = append(m.Rows, Row{Key: "exp.ipv6.lo", Args: []any{strings.Join(res.Lo, ", ")}})
		}
	}
	if res.Missing != "" {
		key := "exp.ipv6.missing"
		if c == "dualstack" {
			key = "exp.ipv6.no-inet6"
		}
		m.Rows = append(m.Rows, Row{Key: key, Args: []any{res.Missing}})
		return m
	}
	switch c {
	case "loopback":
		m.Rows = append(m.Rows,
			Row{Key: "exp.ipv6.loopback", Args: []any{res.Server.String(), res.Client.String()}},
			Row{Key: "exp.ipv6.echo", Args: []any{res.Echo, res.Peer.String()}})
	case "dualstack":
		if res.Bindv6only >= 0 {
			m.Rows = append(m.Rows, Row{Key: "exp.ipv6.v6only-default", Args: []any{res.V6onlyDefault, res.Bindv6only}})
		}
		m.Rows = append(m.Rows,
			Row{Key: "exp.ipv6.mapped", Args: []any{res.MappedPeer.String()}},
			Row{Key: "exp.ipv6.v6only", Args: []any{ErrnoName(ErrnoOf(res.V6onlyErr))}})
	default:
		for _, a := range res.Attempts {
			if a.Err != nil {
				m.Rows = append(m.Rows, Row{Key: "exp.ipv6.try-refused", Args: []any{a.To.String(), ErrnoName(ErrnoOf(a.Err))}})
			} else {
				m.Rows = append(m.Rows, Row{Key: "exp.ipv6.try-ok", Args: []any{a.To.String()}})
			}
		}
		if len(res.Skipped) > 0 {
			m.Rows = append(m.Rows, Row{Key: "exp.ipv6.try-skipped", Args: []any{joinAddrs(res.Skipped)}})
		}
		if !res.Connected {
			m.Rows = append(m.Rows, Row{Key: "exp.ipv6.none-reached"})
		}
	}
	return m
}

var ipv6Experiment = &Spec{Action: "ipv6",
	Example: "experiment ipv6 case=loopback",
	Params: []Param{
		{Name: "case", Required: true, Values: []string{"loopback", "dualstack", "resolve"}},
	},
	preview: func(s *Session, a args) string {
		switch a.get("case") {
		case "loopback":
			return "socket(AF_INET6, SOCK_STREAM); bind(srv, [::1]:0); listen(srv)\nconnect(c, [::1]:port); accept(srv); send(c, …); recv(conn, 1024, 0)"
		case "dualstack":
			return "setsockopt(srv, IPV6_V6ONLY 0, SO_BINDTODEVICE \"lo\")\n" +
				"bind(srv, [::]:0); listen(srv)\n" +
				"socket(AF_INET, SOCK_STREAM); connect(c, 127.0.0.1:port); accept(srv)\n" +
				s.text("exp.ipv6.call.again")
		}
		return s.text("exp.ipv6.call.read-hosts") + "\n" + s.text("exp.ipv6.call.sort") + "\nbind(srv, [::1]:0); listen(srv)\nconnect(c, " + s.text("exp.ipv6.call.each") + ", port) …"
	},
	run: func(ctx context.Context, s *Session, a args) error {
		l := s.newLab()
		defer l.close()
		var res v6Result
		var err error
		switch a.get("case") {
		case "loopback":
			res, err = l.loopback6(ctx)
		case "dualstack":
			res, err = l.dualStack(ctx)
		default:
			res, err = l.localhost6(ctx, hostsFile)
		}
		if err != nil {
			return err
		}
		s.measure(v6Measurement(a.get("case"), res))
		return nil
	}}
