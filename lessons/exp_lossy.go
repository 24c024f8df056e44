package lessons

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// A lossy link, for real: the same messages sent with UDP and with TCP
// over a loopback that drops a share of all packets at random. Where the
// machine allows it (root, network namespaces, nftables), the link is a
// private network namespace made for the lesson; elsewhere the UDP half
// goes through a relay in user space that drops with a fixed seed, and
// the TCP half is not shown, because a relay cannot make TCP lose packets
// honestly (TCP would retransmit inside the kernel, out of its sight).

// errNoNamespace is why the private namespace could not be made.
var errNoNamespace = errors.New("no private network namespace here")

// lossyMessageSize is the size of each message.
const lossyMessageSize = 100

// lossyResult is one run of the experiment.
type lossyResult struct {
	Path      string // "netns" or "relay"
	Namespace string // the namespace's id, netns path only
	Loss      int    // percent of packets dropped
	Count     int    // messages sent with each protocol

	UDPReceived int
	UDPLost     []int // numbers of the messages that never came (first few)
	RelayDrops  int   // relay path: datagrams the relay dropped

	TCPBytes   int // bytes the TCP receiver got
	TCPTime    time.Duration
	UDPTime    time.Duration
	TCPRetrans int // segments sent again (TCP_INFO, both ends), -1 unknown
}

// message is message number i: its number, then filler.
func message(i int) []byte {
	m := payload(lossyMessageSize)
	binary.BigEndian.PutUint32(m, uint32(i))
	return m
}

// lossyNetns runs both halves inside a private lossy namespace.
func (l *lab) lossyNetns(ctx context.Context, loss, count int) (lossyResult, error) {
	res := lossyResult{Path: "netns", Loss: loss, Count: count, TCPRetrans: -1}
	fds, id, err := lossySockets(loss, []Proto{UDP, UDP, TCP, TCP}, []bool{false, false, true, false})
	for _, fd := range fds {
		l.keep(fd)
	}
	if err != nil {
		return res, err
	}
	res.Namespace = id
	tx, rx, lfd, c := fds[0], fds[1], fds[2], fds[3]
	if err := l.udpAcross(ctx, tx, rx, &res); err != nil {
		return res, err
	}
	return res, l.tcpAcross(ctx, c, lfd, &res)
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
			l.show(Client, fmt.Sprintf("sendto(%d, <%d bytes>, 0, %s) × %d", tx, lossyMessageSize, sockaddrString(sa), res.Count), strconv.Itoa(lossyMessageSize), nil, nil)
		}
	}
	buf := make([]byte, 2048)
	last := start
	for {
		ok, err := l.ready(ctx, rx, unix.POLLIN, 300*time.Millisecond)
		if err != nil {
			return err
		}
		if !ok {
			break // nothing more is coming
		}
		n, _, err := unix.Recvfrom(rx, buf, unix.MSG_DONTWAIT)
		if err != nil {
			continue
		}
		if i := int(binary.BigEndian.Uint32(buf[:4])); n == lossyMessageSize && i < res.Count && !got[i] {
			got[i] = true
			res.UDPReceived++
			last = time.Now()
		}
	}
	res.UDPTime = last.Sub(start) // up to the last arrival, not the wait after it
	for i, ok := range got {
		if !ok && len(res.UDPLost) < 8 {
			res.UDPLost = append(res.UDPLost, i)
		}
	}
	l.show(Server, fmt.Sprintf("recvfrom(%d, 2048, 0) …", rx), strconv.Itoa(res.UDPReceived)+" ×", nil, nil)
	return nil
}

// tcpAcross connects c to the listener lfd and sends count messages, one
// write each, and counts the bytes that arrive.
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
	// A lost SYN is sent again after a second: allow for a few.
	if err := l.wait(ctx, c, unix.POLLOUT, 10*time.Second); err != nil {
		return err
	}
	unix.SetNonblock(c, false)
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
	for res.TCPBytes < total {
		n, err := l.recv(ctx, conn, buf, 0, 20*time.Second)
		if err != nil || n == 0 {
			unix.Shutdown(c, unix.SHUT_RDWR)
			<-sent
			if err == nil {
				err = errors.New("the connection ended early")
			}
			return err
		}
		res.TCPBytes += n
	}
	res.TCPTime = time.Since(start)
	if err := <-sent; err != nil {
		return err
	}
	l.show(Client, fmt.Sprintf("send(%d, <%d bytes>, 0) × %d", c, lossyMessageSize, res.Count), strconv.Itoa(lossyMessageSize), nil, nil)
	l.show(Server, fmt.Sprintf("recv(%d, 65536, 0) …", conn), strconv.Itoa(res.TCPBytes), nil, nil)
	if a, b := tcpRetransmits(c), tcpRetransmits(conn); a >= 0 && b >= 0 {
		res.TCPRetrans = a + b
	}
	return nil
}

// lossyRelay is the fallback: tx → relay → rx on the ordinary loopback,
// the relay dropping loss percent with a fixed seed. Every message goes
// through in step (send, relay, receive), so nothing is lost to a full
// buffer, and every learner sees the very same losses.
func (l *lab) lossyRelay(ctx context.Context, loss, count int, seed int64) (lossyResult, error) {
	res := lossyResult{Path: "relay", Loss: loss, Count: count, TCPRetrans: -1}
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
			res.RelayDrops++
			if len(res.UDPLost) < 8 {
				res.UDPLost = append(res.UDPLost, i)
			}
			continue
		}
		if err := unix.Sendto(relay, buf[:n], 0, toRx); err != nil {
			return res, fmt.Errorf("sendto: %w", err)
		}
		if _, err := l.recv(ctx, rx, buf, 0, labWait); err != nil {
			return res, err
		}
		res.UDPReceived++
	}
	res.UDPTime = time.Since(start)
	l.show(Client, fmt.Sprintf("sendto(%d, <%d bytes>, 0, %s) × %d", tx, lossyMessageSize, raddr, count), strconv.Itoa(lossyMessageSize), nil, nil)
	l.show(Server, fmt.Sprintf("recvfrom(%d, 2048, 0) …", rx), strconv.Itoa(res.UDPReceived)+" ×", nil, nil)
	return res, nil
}

// LossyLinkReal reports whether this machine lets the lossy-link
// experiment make its private namespace (root, namespaces, nftables), by
// making one, with no sockets, that vanishes at once.
func LossyLinkReal() bool {
	_, _, err := lossySockets(1, nil, nil)
	return err == nil
}

func sockaddrString(sa unix.Sockaddr) string {
	ap, _ := addrPort(sa)
	return ap.String()
}

func init() {
	registerExperiment(&Spec{Action: "lossy-link",
		Example: "experiment lossy-link loss=5 count=1000",
		Params:  []Param{{Name: "loss"}, {Name: "count"}, {Name: "path", Values: []string{"auto", "netns", "relay"}}},
		preview: func(s *Session, a args) string {
			loss, count := orDefault(a.get("loss"), "5"), orDefault(a.get("count"), "1000")
			return fmt.Sprintf("nft: numgen random mod 100 < %s drop\nsendto(tx, <100 bytes>, 0, rx) × %s; recvfrom(rx, 2048, 0) …\nsend(c, <100 bytes>, 0) × %s; recv(conn, 65536, 0) …", loss, count, count)
		},
		run: func(ctx context.Context, s *Session, a args) error {
			loss, err := a.intIn("loss", 5, 0, 50)
			if err != nil {
				return err
			}
			count, err := a.intIn("count", 1000, 1, 100000)
			if err != nil {
				return err
			}
			l := s.newLab()
			defer l.close()
			var res lossyResult
			path := orDefault(a.get("path"), "auto")
			if path != "relay" {
				res, err = l.lossyNetns(ctx, loss, count)
				if errors.Is(err, errNoNamespace) && path == "auto" {
					s.ui.Note("exp.lossy.fallback", err.Error())
					l.close()
					path = "relay"
				} else if err != nil {
					return err
				}
			}
			if path == "relay" {
				if res, err = l.lossyRelay(ctx, loss, count, 1); err != nil {
					return err
				}
			}
			s.measure(lossyMeasurement(res))
			return nil
		}})
}

func lossyMeasurement(res lossyResult) Measurement {
	lost := make([]string, len(res.UDPLost))
	for i, n := range res.UDPLost {
		lost[i] = "#" + strconv.Itoa(n)
	}
	rows := []Row{{Key: "exp.lossy.path-" + res.Path, Args: []any{res.Loss}}}
	rows = append(rows,
		Row{Key: "exp.lossy.udp", Args: []any{res.Count, res.UDPReceived, res.Count - res.UDPReceived}},
		Row{Key: "exp.lossy.udp-which", Args: []any{fmt.Sprint(lost)}})
	bars := []Bar{{Key: "exp.lossy.bar-udp", Value: float64(res.UDPReceived), Unit: "unit.messages"}}
	if res.Path == "netns" {
		rows = append(rows,
			Row{Key: "exp.lossy.tcp", Args: []any{res.Count * lossyMessageSize, res.TCPBytes, ms(res.TCPTime)}},
			Row{Key: "exp.lossy.tcp-retrans", Args: []any{res.TCPRetrans}},
			Row{Key: "exp.lossy.udp-time", Args: []any{ms(res.UDPTime)}})
		bars = append(bars, Bar{Key: "exp.lossy.bar-tcp", Value: float64(res.TCPBytes / lossyMessageSize), Unit: "unit.messages"})
	} else {
		rows = append(rows, Row{Key: "exp.lossy.relay-seed"}, Row{Key: "exp.lossy.no-tcp"})
	}
	return Measurement{Title: "exp.lossy.title", Rows: rows, Bars: bars}
}
