package lessons

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand"
	"strconv"
	"time"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
	"github.com/sockstep/sockstep/lessons/wire"
)

// A lossy link, for real: the same messages sent with UDP and with TCP
// over a loopback that drops a share of all packets at random. Where the
// machine allows it (root, network namespaces, nftables), the link is a
// private network namespace made for the lesson (netns_linux.go);
// elsewhere the UDP half goes through a relay in user space that drops
// with a fixed seed, and the TCP half is only described, because a relay
// cannot make TCP lose packets honestly: the kernel would resend them out
// of the relay's sight, and the relay could only break the connection.

// errNoNamespace marks every reason the private namespace could not be
// made; the experiment then falls back to the relay (mode=auto).
var errNoNamespace = errors.New("no private network namespace here")

// nsError is why the namespace could not be made: the step that failed,
// and how.
type nsError struct {
	Step string // "unshare(CLONE_NEWNET)", "nftables", …
	Err  error
}

func (e *nsError) Error() string {
	return fmt.Sprintf("%v: %s: %v", errNoNamespace, e.Step, e.Err)
}

func (e *nsError) Unwrap() []error { return []error{errNoNamespace, e.Err} }

// reason is the step and the errno's name (Session.errName).
func (e *nsError) reason(s *Session) string { return e.Step + ": " + s.errName(e.Err) }

const (
	// lossyMessageSize is the size of each message.
	lossyMessageSize = 1000
	// lossySeed starts the relay's random numbers: the same for every
	// learner, so everyone loses the very same messages.
	lossySeed = 1
	// lossyShown is how many lost message numbers are listed.
	lossyShown = 8
)

// lossyResult is one half of the experiment: UDP or TCP.
type lossyResult struct {
	Path      string // "netns" or "relay"; "none": TCP, which needs netns
	Proto     Proto
	Namespace string // the namespace's id, netns path only
	Loss      int    // percent of packets dropped
	Count     int    // messages sent

	Received int   // UDP: messages that arrived
	Lost     []int // UDP: numbers of the messages that never came
	// Dropped is what the link dropped: packets counted by the nftables
	// rule (netns), or datagrams thrown away by the relay; -1 unknown.
	Dropped int

	Bytes   int  // TCP: bytes that arrived
	InOrder bool // TCP: each one the byte sent at that place
	Retrans int  // TCP: segments sent again, both ends (TCP_INFO); -1 unknown
	// Segments is how many segments of data the sender sent, first
	// sendings and resendings (TCP_INFO); -1 unknown.
	Segments int

	Elapsed time.Duration // from the first send to the last arrival

	// Captured counts the packets a capture on the namespace's loopback
	// saw leave (lost ones included: the drop rule is on the input
	// hook), and CapturedRetrans the TCP segments among them that carried
	// data already sent; -1 without a capture.
	Captured        int
	CapturedRetrans int

	// nsThread is closed once the goroutine that made the namespace has
	// returned (netns path).
	nsThread <-chan struct{}
}

// message is message number i: its number, then filler.
func message(i int) []byte {
	m := payload(lossyMessageSize)
	binary.BigEndian.PutUint32(m, uint32(i))
	return m
}

// messageByte is byte o of the stream of messages 0, 1, 2, …
func messageByte(o int) byte {
	i, k := o/lossyMessageSize, o%lossyMessageSize
	if k < 4 {
		return byte(uint32(i) >> (8 * (3 - k)))
	}
	return 'a' + byte(k%26)
}

// lossyNetns sends count messages with proto across a private namespace
// whose loopback drops loss percent of all packets. Its error wraps an
// *nsError when the machine does not allow the namespace.
func (l *lab) lossyNetns(ctx context.Context, proto Proto, loss, count int) (lossyResult, error) {
	res := lossyResult{Path: "netns", Proto: proto, Loss: loss, Count: count, Dropped: -1, Retrans: -1, Segments: -1, Captured: -1, CapturedRetrans: -1}
	protos, listen := []Proto{UDP, UDP}, []bool{false, false}
	if proto == TCP {
		protos, listen = []Proto{TCP, TCP}, []bool{true, false}
	}
	link, err := newLossyLinkWire(loss, protos, listen, l.s.nsWire())
	if link != nil && link.Wire != nil {
		defer link.Wire.Close()
		for _, fd := range link.FDs {
			if sa, err := unix.Getsockname(fd); err == nil {
				ap, _ := addrPort(sa)
				link.Wire.Watch(wire.Proto(proto), ap.Port())
			}
		}
	}
	if link != nil {
		res.Namespace, res.nsThread = link.ID, link.Gone
		for _, fd := range link.FDs {
			l.keep(fd)
		}
		if link.NS >= 0 {
			l.keep(link.NS)
		}
	}
	if err != nil {
		return res, err
	}
	l.show(Client, "unshare(CLONE_NEWNET); ioctl(SIOCSIFFLAGS, lo, IFF_UP)", "0", nil, nil)
	l.show(Client, fmt.Sprintf("nftables: numgen random mod 100 < %d counter drop", loss), "0", nil, nil)
	if proto == TCP {
		err = l.tcpAcross(ctx, link.FDs[1], link.FDs[0], &res)
	} else {
		err = l.udpAcross(ctx, link.FDs[0], link.FDs[1], &res)
	}
	if err != nil {
		return res, err
	}
	res.Dropped = link.dropped()
	if link.Wire != nil {
		b := link.Wire.Drain(0)
		res.Captured, res.CapturedRetrans = len(b.Packets)+b.Skipped, b.Retransmits
		l.s.addWire(b)
	}
	return res, nil
}

// udpAcross sends count datagrams from tx to rx and counts what arrives.
func (l *lab) udpAcross(ctx context.Context, tx, rx int, res *lossyResult) error {
	sa, err := unix.Getsockname(rx)
	if err != nil {
		return err
	}
	got := make([]bool, res.Count)
	start := time.Now()
	for i := 0; i < res.Count; i++ {
		if i%256 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := unix.Sendto(tx, message(i), 0, sa); err != nil {
			return fmt.Errorf("sendto: %w", err)
		}
		if i == 0 {
			l.show(Client, fmt.Sprintf("sendto(%d, %s, 0, %s) × %d", tx, l.s.data(lossyMessageSize), sockaddrString(sa), res.Count), strconv.Itoa(lossyMessageSize), nil, nil)
		}
	}
	buf := make([]byte, 2048)
	last := start
	for {
		// On loopback a datagram not there a fifth of a second after
		// the last one is not coming.
		ok, err := l.ready(ctx, rx, unix.POLLIN, 200*time.Millisecond)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		n, _, err := unix.Recvfrom(rx, buf, unix.MSG_DONTWAIT)
		if err != nil {
			continue
		}
		if i := int(binary.BigEndian.Uint32(buf[:4])); n == lossyMessageSize && i < res.Count && !got[i] {
			got[i] = true
			res.Received++
			last = time.Now()
		}
	}
	res.Elapsed = last.Sub(start) // up to the last arrival, not the wait after it
	for i, ok := range got {
		if !ok {
			res.Lost = append(res.Lost, i)
		}
	}
	l.show(Server, fmt.Sprintf("recvfrom(%d, 2048, 0) …", rx), strconv.Itoa(res.Received)+" ×", nil, nil)
	return nil
}

// tcpAcross connects c to the listener lfd, sends count messages, one
// send each, and checks the bytes that arrive against the bytes sent.
func (l *lab) tcpAcross(ctx context.Context, c, lfd int, res *lossyResult) error {
	sa, err := unix.Getsockname(lfd)
	if err != nil {
		return err
	}
	start := time.Now()
	if err := unix.SetNonblock(c, true); err != nil {
		return err
	}
	if err := unix.Connect(c, sa); err != nil && !errors.Is(err, unix.EINPROGRESS) {
		return fmt.Errorf("connect: %w", err)
	}
	// A lost SYN is sent again after 1 s, then 2 s: allow for a few.
	if err := l.wait(ctx, c, unix.POLLOUT, 10*time.Second); err != nil {
		return err
	}
	if soerr, err := unix.GetsockoptInt(c, unix.SOL_SOCKET, unix.SO_ERROR); err != nil || soerr != 0 {
		if err == nil {
			err = unix.Errno(soerr)
		}
		return fmt.Errorf("connect: %w", err)
	}
	if err := unix.SetNonblock(c, false); err != nil {
		return err
	}
	// Every message its own segment, at once.
	unix.SetsockoptInt(c, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	conn, err := l.accept(ctx, lfd, 10*time.Second)
	if err != nil {
		return err
	}
	l.show(Client, fmt.Sprintf("connect(%d, %s)", c, sockaddrString(sa)), "0", nil, nil)
	sent := make(chan error, 1)
	go func() {
		for i := 0; i < res.Count; i++ {
			if err := sendAll(c, message(i)); err != nil {
				sent <- err
				return
			}
		}
		sent <- nil
	}()
	total := res.Count * lossyMessageSize
	buf := make([]byte, 64<<10)
	res.InOrder = true
	for res.Bytes < total {
		// A resent segment can wait for several timeouts in a row
		// (200 ms, 400 ms, …); 20 s means the link is broken.
		n, err := l.recv(ctx, conn, buf, 0, 20*time.Second)
		if err != nil || n == 0 {
			unix.Shutdown(c, unix.SHUT_RDWR) // unblocks the sender
			<-sent
			if err == nil {
				err = labFailed(nil, "exp.err.ended-early", "the connection ended early")
			}
			return err
		}
		for j, b := range buf[:n] {
			if b != messageByte(res.Bytes+j) {
				res.InOrder = false
			}
		}
		res.Bytes += n
	}
	res.Elapsed = time.Since(start)
	if err := <-sent; err != nil {
		return err
	}
	l.show(Client, fmt.Sprintf("send(%d, %s, 0) × %d", c, l.s.data(lossyMessageSize), res.Count), strconv.Itoa(lossyMessageSize), nil, nil)
	l.show(Server, fmt.Sprintf("recv(%d, 65536, 0) …", conn), strconv.Itoa(res.Bytes)+" B", nil, nil)
	a, segs := tcpSegments(c)
	if b, _ := tcpSegments(conn); a >= 0 && b >= 0 {
		res.Retrans, res.Segments = a+b, segs
		l.show(Client, fmt.Sprintf("getsockopt(%d, IPPROTO_TCP, TCP_INFO)", c), fmt.Sprintf("tcpi_total_retrans %d", a), nil, nil)
	}
	return nil
}

// lossyRelay is the fallback for UDP: tx → relay → rx on the ordinary
// loopback, the relay dropping loss percent with a fixed seed. Every
// message goes through in step (send, relay, receive), so nothing is lost
// to a full buffer, and every learner sees the very same losses.
func (l *lab) lossyRelay(ctx context.Context, loss, count int, seed int64) (lossyResult, error) {
	res := lossyResult{Path: "relay", Proto: UDP, Loss: loss, Count: count, Retrans: -1}
	tx, _, err := l.bound(UDP)
	if err != nil {
		return res, err
	}
	relay, raddr, err := l.bound(UDP)
	if err != nil {
		return res, err
	}
	rx, addr, err := l.bound(UDP)
	if err != nil {
		return res, err
	}
	rng := rand.New(rand.NewSource(seed))
	toRelay := &unix.SockaddrInet4{Addr: raddr.Addr().As4(), Port: int(raddr.Port())}
	toRx := &unix.SockaddrInet4{Addr: addr.Addr().As4(), Port: int(addr.Port())}
	buf := make([]byte, 2048)
	start := time.Now()
	for i := 0; i < count; i++ {
		if err := unix.Sendto(tx, message(i), 0, toRelay); err != nil {
			return res, fmt.Errorf("sendto: %w", err)
		}
		n, err := l.recv(ctx, relay, buf, 0, labWait)
		if err != nil {
			return res, err
		}
		if rng.Intn(100) < loss {
			res.Dropped++
			res.Lost = append(res.Lost, i)
			continue
		}
		if err := unix.Sendto(relay, buf[:n], 0, toRx); err != nil {
			return res, fmt.Errorf("sendto: %w", err)
		}
		if _, err := l.recv(ctx, rx, buf, 0, labWait); err != nil {
			return res, err
		}
		res.Received++
	}
	res.Elapsed = time.Since(start)
	l.show(Client, fmt.Sprintf("sendto(%d, %s, 0, %s) × %d", tx, l.s.data(lossyMessageSize), raddr, count), strconv.Itoa(lossyMessageSize), nil, nil)
	l.show(Server, fmt.Sprintf("recvfrom(%d, 2048, 0) …", rx), strconv.Itoa(res.Received)+" ×", nil, nil)
	return res, nil
}

// LossyLinkReal reports whether this machine lets the lossy-link
// experiment make its private namespace (root, namespaces, nftables), by
// making one, with no sockets, that vanishes at once.
func LossyLinkReal() bool {
	link, err := newLossyLink(1, nil, nil)
	if link != nil {
		if link.NS >= 0 {
			unix.Close(link.NS)
		}
		if link.Gone != nil {
			<-link.Gone
		}
	}
	return err == nil
}

func sockaddrString(sa unix.Sockaddr) string {
	ap, _ := addrPort(sa)
	return ap.String()
}

var lossyLinkExperiment = &Spec{Action: "lossy-link",
	Example: "experiment lossy-link proto=udp loss=5 count=1000 mode=auto",
	Params: []Param{
		{Name: "proto", Required: true, Values: []string{"udp", "tcp"}},
		{Name: "loss", Default: "5", Min: 0, Max: 50},
		{Name: "count", Default: "1000", Min: 1, Max: 10000},
		{Name: "mode", Values: []string{"auto", "netns", "relay"}, Default: "auto"},
	},
	preview: func(s *Session, a args) string {
		loss, count := a.get("loss"), a.get("count")
		p := fmt.Sprintf("unshare(CLONE_NEWNET)\nioctl(SIOCSIFMTU, lo, %d); ioctl(SIOCSIFFLAGS, lo, IFF_UP)\n", lossyMTU) +
			"nftables: numgen random mod 100 < " + loss + " counter drop\n"
		if a.get("proto") == "tcp" {
			return p + fmt.Sprintf("connect(c, srv)\nsend(c, %s, 0) × %s; recv(conn, 65536, 0) …\ngetsockopt(c, IPPROTO_TCP, TCP_INFO)", s.data(lossyMessageSize), count)
		}
		return p + fmt.Sprintf("sendto(tx, %s, 0, rx) × %s; recvfrom(rx, 2048, 0) …", s.data(lossyMessageSize), count)
	},
	run: func(ctx context.Context, s *Session, a args) error {
		res, err := s.lossyLink(ctx, Proto(a.get("proto")), a.int("loss"), a.int("count"), a.get("mode"))
		if err != nil {
			return err
		}
		s.measure(lossyMeasurement(res))
		return nil
	}}

// lossyLink runs one half of the experiment on the path mode allows.
func (s *Session) lossyLink(ctx context.Context, proto Proto, loss, count int, mode string) (lossyResult, error) {
	l := s.newLab()
	defer l.close()
	if mode != "relay" {
		res, err := l.lossyNetns(ctx, proto, loss, count)
		var ne *nsError
		if err == nil || mode == "netns" || !errors.As(err, &ne) {
			return res, err
		}
		s.ui.Note("exp.lossy.fallback", ne.reason(s))
		l.close()
	}
	if proto == TCP {
		// No honest way to show it without a lossy link in the kernel.
		return lossyResult{Path: "none", Proto: TCP, Loss: loss, Count: count, Dropped: -1, Retrans: -1}, nil
	}
	return l.lossyRelay(ctx, loss, count, lossySeed)
}

func lossyMeasurement(res lossyResult) Measurement {
	sent := Bar{Key: "exp.lossy.bar-sent", Value: float64(res.Count), Unit: "unit.messages"}
	if res.Proto == TCP {
		if res.Path != "netns" {
			return Measurement{Title: "exp.lossy.title", Rows: []Row{{Key: "exp.lossy.no-tcp", Args: []any{res.Count * lossyMessageSize}}}}
		}
		order := "exp.lossy.in-order"
		if !res.InOrder {
			order = "exp.lossy.out-of-order"
		}
		m := Measurement{Title: "exp.lossy.title",
			Values: map[string]string{
				"dropped": strconv.Itoa(res.Dropped), "retrans": strconv.Itoa(res.Retrans),
				"ms": ms(res.Elapsed),
			},
			Rows: []Row{
				{Key: "exp.lossy.path-netns", Args: []any{res.Loss}},
				{Key: "exp.lossy.tcp", Args: []any{res.Count * lossyMessageSize, res.Bytes, ms(res.Elapsed)}},
				{Key: order},
				{Key: "exp.lossy.tcp-dropped", Args: []any{res.Dropped}},
				{Key: "exp.lossy.tcp-retrans", Args: []any{res.Retrans, res.Segments}},
			},
			Bars: []Bar{sent, {Key: "exp.lossy.bar-arrived", Value: float64(res.Bytes) / lossyMessageSize, Unit: "unit.messages"}}}
		if res.CapturedRetrans >= 0 {
			m.Rows = append(m.Rows, Row{Key: "wire.lossy-tcp", Args: []any{res.Captured, res.CapturedRetrans, res.Retrans}})
		}
		return m
	}
	var lost []string
	for _, n := range res.Lost[:min(len(res.Lost), lossyShown)] {
		lost = append(lost, "#"+strconv.Itoa(n))
	}
	rows := []Row{
		{Key: "exp.lossy.path-" + res.Path, Args: []any{res.Loss}},
		{Key: "exp.lossy.udp", Args: []any{res.Count, res.Received, res.Count - res.Received}},
		{Key: "exp.lossy.udp-which", Args: []any{fmt.Sprint(lost)}},
	}
	if res.Path == "netns" {
		rows = append(rows,
			Row{Key: "exp.lossy.udp-dropped", Args: []any{res.Dropped}},
			Row{Key: "exp.lossy.udp-time", Args: []any{ms(res.Elapsed)}})
		if res.Captured >= 0 {
			rows = append(rows, Row{Key: "wire.lossy-udp", Args: []any{res.Captured}})
		}
	} else {
		rows = append(rows, Row{Key: "exp.lossy.relay-dropped", Args: []any{res.Dropped}})
	}
	return Measurement{Title: "exp.lossy.title", Rows: rows,
		Values: map[string]string{
			"sent": strconv.Itoa(res.Count), "lost": strconv.Itoa(res.Count - res.Received),
			"dropped": strconv.Itoa(res.Dropped),
		},
		Bars: []Bar{sent, {Key: "exp.lossy.bar-arrived", Value: float64(res.Received), Unit: "unit.messages"}}}
}
