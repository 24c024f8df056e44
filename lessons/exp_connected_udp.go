package lessons

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// Connected UDP: connect on a datagram socket sends nothing; it fixes the
// one peer the socket talks to (udp(7): "When connect(2) is called on the
// socket, the default destination address is set and datagrams can now be
// sent using send(2) or write(2) without specifying a destination
// address... packets are received only from that address"). The kernel
// then filters what arrives, reports ICMP errors as ECONNREFUSED on the
// next call (once: socket(7) SO_ERROR is cleared when read), and a
// zero-length datagram is still a datagram, unlike TCP's recv of 0.

// quietWait is how long an experiment watches for something that should
// not come: on loopback a datagram arrives in microseconds.
const quietWait = 200 * time.Millisecond

// filterResult is a connected receiver, its peer and a stranger.
type filterResult struct {
	StrangerSent int    // what the stranger's sendto returned
	PeerSent     int    // what the peer's send (no address) returned
	Got          string // the one datagram recv returned
	From         string // its sender, as recvfrom reported it
	PeerAddr     string // the peer's address
	More         bool   // anything else arrived within quietWait
	NoPorts      int    // growth of Udp NoPorts during the run, -1 unknown
	Strangers    int    // datagrams the stranger sent: the lesson's share of that growth
}

// udpConnectedFilter connects a receiver to one peer, lets a stranger
// send first and the peer second, and reads what the receiver gets.
func (l *lab) udpConnectedFilter(ctx context.Context) (filterResult, error) {
	res := filterResult{NoPorts: -1}
	tx, rx, rxAddr, to, err := l.udpPair()
	if err != nil {
		return res, err
	}
	stranger, _, err := l.bound(UDP)
	if err != nil {
		return res, err
	}
	txSa, err := unix.Getsockname(tx)
	if err != nil {
		return res, err
	}
	res.PeerAddr = sockaddrString(txSa)
	if err := unix.Connect(rx, txSa); err != nil {
		return res, os.NewSyscallError("connect", err)
	}
	l.show(Server, fmt.Sprintf("connect(%d, %s)", rx, res.PeerAddr), "0", nil, nil)
	if err := unix.Connect(tx, to); err != nil {
		return res, os.NewSyscallError("connect", err)
	}
	l.show(Client, fmt.Sprintf("connect(%d, %s)", tx, rxAddr), "0", nil, nil)
	before := snmpCounter("Udp", "NoPorts")
	msg := []byte("from a stranger")
	if err := unix.Sendto(stranger, msg, 0, to); err != nil {
		return res, os.NewSyscallError("sendto", err)
	}
	res.StrangerSent, res.Strangers = len(msg), 1
	l.show(Client, fmt.Sprintf("sendto(%d, %q, 0, %s)", stranger, msg, rxAddr)+l.s.comment("exp.connected-udp.call.stranger"), strconv.Itoa(len(msg)), nil, nil)
	n, err := unix.Write(tx, []byte("from the peer"))
	if err != nil {
		return res, os.NewSyscallError("send", err)
	}
	res.PeerSent = n
	l.show(Client, fmt.Sprintf("send(%d, %q, 0)", tx, "from the peer")+l.s.comment("exp.connected-udp.call.no-address"), strconv.Itoa(n), nil, nil)
	if err := l.wait(ctx, rx, unix.POLLIN, labWait); err != nil {
		return res, err
	}
	buf := make([]byte, 1024)
	n, from, err := unix.Recvfrom(rx, buf, 0)
	if err != nil {
		return res, os.NewSyscallError("recvfrom", err)
	}
	res.Got, res.From = string(buf[:n]), sockaddrString(from)
	l.show(Server, fmt.Sprintf("recvfrom(%d, 1024, 0)", rx)+l.s.comment("exp.connected-udp.call.from", res.From), strconv.Itoa(n), nil, buf[:n])
	more, err := l.ready(ctx, rx, unix.POLLIN, quietWait)
	if err != nil {
		return res, err
	}
	res.More = more
	if after := snmpCounter("Udp", "NoPorts"); before >= 0 && after >= 0 {
		res.NoPorts = after - before
	}
	return res, nil
}

// filterRows is what the filter case shows. Udp NoPorts is the whole
// machine's counter (its network namespace's: /proc/net/snmp), which any
// program's datagram to a closed port adds to, so the row says so and
// puts the lesson's own count of stranger datagrams beside it.
func filterRows(res filterResult) []Row {
	rows := []Row{{Key: "exp.connected-udp.got", Args: []any{res.Got, res.From}}}
	if res.More {
		rows = append(rows, Row{Key: "exp.connected-udp.leaked", Args: []any{ms(quietWait)}})
	} else {
		rows = append(rows, Row{Key: "exp.connected-udp.filtered", Args: []any{ms(quietWait)}})
	}
	if res.NoPorts >= 0 {
		rows = append(rows, Row{Key: "exp.connected-udp.noports", Args: []any{res.Strangers, res.NoPorts}})
	}
	return rows
}

// refusedResult is a connected socket sending to a closed port, three
// times.
type refusedResult struct {
	Errs [3]error // what each send failed with
	Sent [3]int   // or the bytes it sent
}

// udpConnectedRefused sends three datagrams from a connected socket to a
// port nobody holds: the first goes out, the ICMP port-unreachable it
// draws is reported on the second, and the third goes out again.
func (l *lab) udpConnectedRefused(ctx context.Context) (refusedResult, error) {
	var res refusedResult
	// A port where nothing on this machine is bound (above the
	// ephemeral range: see closedPort).
	addr, err := closedPort(labHost)
	if err != nil {
		return res, err
	}
	l.watch(UDP, addr.Port(), Server)
	u, err := l.socket(UDP)
	if err != nil {
		return res, err
	}
	to := &unix.SockaddrInet4{Addr: addr.Addr().As4(), Port: int(addr.Port())}
	if err := unix.Connect(u, to); err != nil {
		return res, os.NewSyscallError("connect", err)
	}
	l.show(Client, fmt.Sprintf("connect(%d, %s)", u, addr)+l.s.comment("exp.connected-udp.call.nobody"), "0", nil, nil)
	for i := range res.Errs {
		msg := "datagram " + strconv.Itoa(i+1)
		n, err := unix.Write(u, []byte(msg))
		res.Errs[i], res.Sent[i] = err, n
		if err != nil && !errors.Is(err, unix.ECONNREFUSED) {
			return res, os.NewSyscallError("send", err)
		}
		ret := strconv.Itoa(len(msg))
		if err != nil {
			ret = "-1"
		}
		l.showOn(UDP, Client, fmt.Sprintf("send(%d, %q, 0)", u, msg), ret, err, nil)
		if i == 0 {
			// The ICMP answer comes back through the loopback's
			// softirq; wait until the socket shows the error.
			if err := l.wait(ctx, u, unix.POLLERR, labWait); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// emptyResult is a zero-length datagram against a zero-length TCP send.
type emptyResult struct {
	UDPLen    int    // what recvfrom returned for the empty datagram
	UDPFrom   string // and its sender
	UDPNext   string // the datagram after it: the socket goes on
	TCPSent   int    // what send(c, "") returned
	TCPQueued bool   // anything readable after it, within quietWait
	TCPEOF    int    // what recv returned after the peer closed
}

// zeroLength sends an empty datagram and then "still here" over UDP, and
// an empty send then a close over TCP.
func (l *lab) zeroLength(ctx context.Context) (emptyResult, error) {
	var res emptyResult
	tx, rx, addr, to, err := l.udpPair()
	if err != nil {
		return res, err
	}
	for _, m := range []string{"", "still here"} {
		if err := unix.Sendto(tx, []byte(m), 0, to); err != nil {
			return res, os.NewSyscallError("sendto", err)
		}
		l.show(Client, fmt.Sprintf("sendto(%d, %q, 0, %s)", tx, m, addr), strconv.Itoa(len(m)), nil, nil)
	}
	buf := make([]byte, 1024)
	for i := range 2 {
		if err := l.wait(ctx, rx, unix.POLLIN, labWait); err != nil {
			return res, err
		}
		n, from, err := unix.Recvfrom(rx, buf, 0)
		if err != nil {
			return res, os.NewSyscallError("recvfrom", err)
		}
		l.show(Server, fmt.Sprintf("recvfrom(%d, 1024, 0)", rx)+l.s.comment("exp.connected-udp.call.from", sockaddrString(from)), strconv.Itoa(n), nil, buf[:n])
		if i == 0 {
			res.UDPLen, res.UDPFrom = n, sockaddrString(from)
		} else {
			res.UDPNext = string(buf[:n])
		}
	}
	c, srv, err := l.tcpPair(ctx)
	if err != nil {
		return res, err
	}
	n, err := unix.Write(c, nil)
	if err != nil {
		return res, os.NewSyscallError("send", err)
	}
	res.TCPSent = n
	l.show(Client, fmt.Sprintf("send(%d, \"\", 0)", c), strconv.Itoa(n), nil, nil)
	if res.TCPQueued, err = l.ready(ctx, srv, unix.POLLIN, quietWait); err != nil {
		return res, err
	}
	l.forget(c)
	l.show(Client, fmt.Sprintf("close(%d)", c), "0", nil, nil)
	if res.TCPEOF, err = l.recv(ctx, srv, buf, 0, labWait); err != nil {
		return res, err
	}
	l.show(Server, fmt.Sprintf("recv(%d, 1024, 0)", srv), strconv.Itoa(res.TCPEOF), nil, nil)
	return res, nil
}

// snmpCounter reads one of the machine's protocol counters from
// /proc/net/snmp (proto "Udp", name "NoPorts"); -1 if unknown.
func snmpCounter(proto, name string) int {
	data, err := os.ReadFile("/proc/net/snmp")
	if err != nil {
		return -1
	}
	var head []string
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, proto+": ") {
			continue
		}
		f := strings.Fields(line)
		if head == nil {
			head = f
			continue
		}
		for i, h := range head {
			if h == name && i < len(f) {
				if n, err := strconv.Atoi(f[i]); err == nil {
					return n
				}
			}
		}
		return -1
	}
	return -1
}

var connectedUDPExperiment = &Spec{Action: "connected-udp",
	Example: "experiment connected-udp case=filter",
	Params: []Param{
		{Name: "case", Required: true, Values: []string{"filter", "refused", "empty"}},
	},
	preview: func(s *Session, a args) string {
		switch a.get("case") {
		case "filter":
			return "connect(rx, tx); connect(tx, rx)\nsendto(stranger, \"from a stranger\", rx)\nsend(tx, \"from the peer\")\nrecvfrom(rx, 1024, 0) …"
		case "refused":
			return "connect(u, " + s.text("exp.connected-udp.call.closed") + ")\nsend(u, \"datagram 1\"); send(u, \"datagram 2\"); send(u, \"datagram 3\")"
		}
		return "sendto(tx, \"\", rx); sendto(tx, \"still here\", rx)\nrecvfrom(rx, 1024, 0) × 2\nsend(c, \"\"); close(c); recv(conn, 1024, 0)"
	},
	run: func(ctx context.Context, s *Session, a args) error {
		l := s.newLab()
		defer l.close()
		switch a.get("case") {
		case "filter":
			res, err := l.udpConnectedFilter(ctx)
			if err != nil {
				return err
			}
			s.measure(Measurement{Title: "exp.connected-udp.title", Rows: filterRows(res)})
			return nil
		case "refused":
			res, err := l.udpConnectedRefused(ctx)
			if err != nil {
				return err
			}
			var got []any
			for i, e := range res.Errs {
				if e != nil {
					got = append(got, ErrnoName(ErrnoOf(e)))
				} else {
					got = append(got, strconv.Itoa(res.Sent[i]))
				}
			}
			rows := []Row{{Key: "exp.connected-udp.sends", Args: got}}
			s.measure(Measurement{Title: "exp.connected-udp.title", Rows: rows})
			return nil
		}
		res, err := l.zeroLength(ctx)
		if err != nil {
			return err
		}
		queued := "exp.connected-udp.tcp-nothing"
		if res.TCPQueued {
			queued = "exp.connected-udp.tcp-something"
		}
		s.measure(Measurement{Title: "exp.connected-udp.title", Rows: []Row{
			{Key: "exp.connected-udp.udp-empty", Args: []any{res.UDPLen, res.UDPFrom}},
			{Key: "exp.connected-udp.udp-next", Args: []any{res.UDPNext}},
			{Key: "exp.connected-udp.tcp-empty", Args: []any{res.TCPSent}},
			{Key: queued, Args: []any{ms(quietWait)}},
			{Key: "exp.connected-udp.tcp-eof", Args: []any{res.TCPEOF}},
		}})
		return nil
	}}
