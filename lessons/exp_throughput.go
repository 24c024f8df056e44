package lessons

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// Throughput: how fast loopback moves data. There is no wire: the numbers
// measure the kernel's copying and the CPU, which is exactly what makes
// the cost of a system call visible. TCP hands the kernel a big piece with
// each write; UDP pays one call per datagram, so its rate follows the
// datagram size, and its receiver, which no flow control protects, drops
// what it cannot take in time.

// tcpChunk is the size of each write of the TCP transfer, tcpReadSize of
// each read. Tuned on a 2-core machine against iperf3 (see
// BenchmarkTCPThroughput): 256 KiB writes beat iperf3's 128 KiB default
// here, and reads twice as big keep the receiver ahead.
const (
	tcpChunk    = 256 << 10
	tcpReadSize = 2 * tcpChunk
	// udpReadSize holds any datagram the experiment sends.
	udpReadSize = 65536
	// udpIdle is how long the UDP receiver waits, once the sender is
	// done, for a queue that stays empty.
	udpIdle = 50 * time.Millisecond
)

// tcpRate is one bulk transfer.
type tcpRate struct {
	Sent, Received int64 // bytes
	Writes, Reads  int   // system calls that moved them
	Elapsed        time.Duration
}

// BytesPerSecond is the received rate.
func (r tcpRate) BytesPerSecond() float64 { return perSecond(float64(r.Received), r.Elapsed) }

// udpRate is one datagram blast.
type udpRate struct {
	Size           int // bytes per datagram
	Sent, Received int // datagrams
	// Drops is the kernel's own count of datagrams the receiving socket
	// dropped (/proc/net/udp), -1 where it cannot be read.
	Drops   int
	Elapsed time.Duration // time spent sending
}

// Lost is how many datagrams sendto accepted that never reached recvfrom.
func (r udpRate) Lost() int { return r.Sent - r.Received }

func perSecond(x float64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return x / d.Seconds()
}

// tcpThroughput sends for d on one connection, as fast as the kernel
// takes it, and measures what the receiver got. Each side is one goroutine
// locked to its own thread, making blocking calls: on 2 cores this is what
// came closest to iperf3 (a thread of its own spares the Go scheduler's
// hand-offs at every blocking call). Every call is bounded by SO_SNDTIMEO
// and SO_RCVTIMEO; the sender stops at the deadline or when ctx ends, and
// always sends its FIN, at which the receiver stops.
func (l *lab) tcpThroughput(ctx context.Context, d time.Duration) (tcpRate, error) {
	var res tcpRate
	c, srv, err := l.tcpPair(ctx)
	if err != nil {
		return res, err
	}
	tv := unix.NsecToTimeval(int64(labWait))
	if err := unix.SetsockoptTimeval(c, unix.SOL_SOCKET, unix.SO_SNDTIMEO, &tv); err != nil {
		return res, fmt.Errorf("setsockopt: %w", err)
	}
	if err := unix.SetsockoptTimeval(srv, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		return res, fmt.Errorf("setsockopt: %w", err)
	}
	type sendResult struct {
		bytes  int64
		writes int
		err    error
	}
	var stop atomic.Bool // the receiver gave up
	sent := make(chan sendResult, 1)
	start := time.Now()
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		var r sendResult
		defer func() {
			unix.Shutdown(c, unix.SHUT_WR) // the receiver's end of data
			sent <- r
		}()
		data := payload(tcpChunk)
		deadline := start.Add(d)
		for !stop.Load() && time.Now().Before(deadline) {
			if r.err = ctx.Err(); r.err != nil {
				return
			}
			n, err := unix.Write(c, data)
			if errors.Is(err, unix.EINTR) {
				continue
			}
			if err != nil {
				r.err = fmt.Errorf("send: %w", err)
				return
			}
			r.bytes += int64(n)
			r.writes++
		}
	}()

	runtime.LockOSThread()
	buf := make([]byte, tcpReadSize)
	var rerr error
	for {
		n, err := unix.Read(srv, buf)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			rerr = fmt.Errorf("recv: %w", err)
			break
		}
		if n == 0 {
			break
		}
		res.Received += int64(n)
		res.Reads++
	}
	res.Elapsed = time.Since(start)
	runtime.UnlockOSThread()
	if rerr != nil {
		stop.Store(true)
	}
	r := <-sent
	res.Sent, res.Writes = r.bytes, r.writes
	if err := errors.Join(r.err, rerr); err != nil {
		return res, err
	}
	l.show(Client, fmt.Sprintf("send(%d, %s, 0) × %d", c, l.s.data(tcpChunk), res.Writes), strconv.Itoa(tcpChunk), nil, nil)
	l.show(Server, fmt.Sprintf("recv(%d, %d, 0) × %d", srv, tcpReadSize, res.Reads), strconv.FormatInt(res.Received, 10)+" B", nil, nil)
	return res, nil
}

// udpThroughput sends datagrams of size bytes for d, as fast as sendto
// returns, while a receiver reads them; it reports what got through. The
// receiver stops once the sender is done and its queue has stayed empty
// for udpIdle, so every datagram the kernel kept is counted.
func (l *lab) udpThroughput(ctx context.Context, d time.Duration, size int) (udpRate, error) {
	res := udpRate{Size: size, Drops: -1}
	tx, rx, addr, to, err := l.udpPair()
	if err != nil {
		return res, err
	}
	tv := unix.NsecToTimeval(int64(udpIdle))
	if err := unix.SetsockoptTimeval(rx, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		return res, fmt.Errorf("setsockopt: %w", err)
	}
	type recvResult struct {
		n   int
		err error
	}
	var done atomic.Bool // the sender is done
	got := make(chan recvResult, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		buf := make([]byte, udpReadSize)
		var r recvResult
		for {
			_, _, err := unix.Recvfrom(rx, buf, 0)
			switch {
			case err == nil:
				r.n++
			case errors.Is(err, unix.EINTR):
			case errors.Is(err, unix.EAGAIN): // nothing for udpIdle
				if done.Load() {
					got <- r
					return
				}
			default:
				r.err = fmt.Errorf("recvfrom: %w", err)
				got <- r
				return
			}
		}
	}()

	runtime.LockOSThread()
	data := payload(size)
	start := time.Now()
	deadline := start.Add(d)
	var serr error
	for i := 0; ; i++ {
		if i%64 == 0 {
			if serr = ctx.Err(); serr != nil || !time.Now().Before(deadline) {
				break
			}
		}
		err := unix.Sendto(tx, data, 0, to)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			serr = fmt.Errorf("sendto: %w", err)
			break
		}
		res.Sent++
	}
	res.Elapsed = time.Since(start)
	runtime.UnlockOSThread()
	done.Store(true)
	r := <-got
	res.Received = r.n
	res.Drops = udpSocketDrops(addr)
	if err := errors.Join(serr, r.err); err != nil {
		return res, err
	}
	l.show(Client, fmt.Sprintf("sendto(%d, %s, 0, %s) × %d", tx, l.s.data(size), addr, res.Sent), strconv.Itoa(size), nil, nil)
	l.show(Server, fmt.Sprintf("recvfrom(%d, %d, 0) × %d", rx, udpReadSize, res.Received), strconv.Itoa(size), nil, nil)
	return res, nil
}

// throughputSeconds reads seconds=, a decimal number of seconds.
func throughputSeconds(a args) (time.Duration, error) {
	s := a.get("seconds")
	sec, err := strconv.ParseFloat(s, 64)
	if err != nil || sec < 0.1 || sec > 30 {
		return 0, mistake("lint.d.number", "%s=%s must be a number from %s to %s", "seconds", s, "0.1", "30")
	}
	return time.Duration(sec * float64(time.Second)), nil
}

var throughputExperiment = &Spec{Action: "throughput",
	Example: "experiment throughput seconds=1 size=1400",
	Params: []Param{{Name: "seconds", Default: "1"}, {Name: "size", Default: "1400", Min: 1, Max: 65000},
		{Name: "proto", Values: []string{"both", "tcp", "udp"}, Default: "both"}},
	check: func(a args) error { _, err := throughputSeconds(a); return err },
	preview: func(s *Session, a args) string {
		sec := a.get("seconds")
		tcp := fmt.Sprintf("send(c, %s, 0) …%s\nrecv(conn, %d, 0) …", s.data(tcpChunk), s.comment("exp.call.s", sec), tcpReadSize)
		udp := fmt.Sprintf("sendto(tx, %s, 0, rx) …%s\nrecvfrom(rx, %d, 0) …", s.data(a.get("size")), s.comment("exp.call.s", sec), udpReadSize)
		switch a.get("proto") {
		case "tcp":
			return tcp
		case "udp":
			return udp
		}
		return tcp + "\n" + udp
	},
	run: func(ctx context.Context, s *Session, a args) error {
		d, err := throughputSeconds(a)
		if err != nil {
			return err
		}
		size, proto := a.int("size"), a.get("proto")
		l := s.newLab()
		defer l.close()
		var m Measurement
		m.Title = "exp.throughput.title"
		m.Values = map[string]string{}
		var tcpMB, udpMB float64
		if proto != "udp" {
			tcp, err := l.tcpThroughput(ctx, d)
			if err != nil {
				return err
			}
			mb := tcp.BytesPerSecond() / 1e6
			m.Rows = append(m.Rows, Row{Key: "exp.throughput.tcp",
				Args: []any{float64(tcp.Received) / 1e6, tcp.Elapsed.Seconds(), mb, tcp.Writes, tcpChunk >> 10, tcp.Reads}})
			m.Bars = append(m.Bars, Bar{Key: "exp.throughput.bar-tcp", Value: mb, Unit: "MB/s"})
			tcpMB = mb
			m.Values["tcp_mbs"] = strconv.FormatFloat(mb, 'f', 0, 64)
			m.Values["tcp_sends"] = strconv.Itoa(tcp.Writes)
			m.Values["tcp_recvs"] = strconv.Itoa(tcp.Reads)
			m.Values["tcp_chunk_kib"] = strconv.Itoa(tcpChunk >> 10)
		}
		if proto != "tcp" {
			udp, err := l.udpThroughput(ctx, d, size)
			if err != nil {
				return err
			}
			sentMB := perSecond(float64(udp.Sent*udp.Size), udp.Elapsed) / 1e6
			gotMB := perSecond(float64(udp.Received*udp.Size), udp.Elapsed) / 1e6
			lost := []any{udp.Lost(), 100 * float64(udp.Lost()) / float64(max(udp.Sent, 1))}
			m.Rows = append(m.Rows, Row{Key: "exp.throughput.udp", Args: []any{udp.Sent, udp.Size, udp.Received, gotMB}})
			if udp.Drops >= 0 {
				m.Rows = append(m.Rows, Row{Key: "exp.throughput.udp-drops", Args: append(lost, udp.Drops)})
			} else {
				m.Rows = append(m.Rows, Row{Key: "exp.throughput.udp-lost", Args: lost})
			}
			m.Bars = append(m.Bars,
				Bar{Key: "exp.throughput.bar-udp-sent", Args: []any{udp.Size}, Value: sentMB, Unit: "MB/s"},
				Bar{Key: "exp.throughput.bar-udp-received", Args: []any{udp.Size}, Value: gotMB, Unit: "MB/s"})
			udpMB = gotMB
			m.Values["udp_mbs"] = strconv.FormatFloat(gotMB, 'f', 0, 64)
			m.Values["udp_sends"] = strconv.Itoa(udp.Sent)
			m.Values["udp_size"] = strconv.Itoa(udp.Size)
			m.Values["udp_lost"] = strconv.Itoa(udp.Lost())
			m.Values["bytes_per_call"] = ratioText(float64(tcpChunk), float64(udp.Size))
		}
		if tcpMB > 0 && udpMB > 0 {
			// How many times TCP's rate is UDP's, as this run measured it.
			m.Values["ratio"] = ratioText(tcpMB, udpMB)
			// UDP's rate as a percentage of TCP's, which reads right
			// whichever is ahead.
			m.Values["udp_pct"] = strconv.FormatFloat(100*udpMB/tcpMB, 'f', 0, 64)
		}
		s.measure(m)
		return nil
	}}

// ratioText writes a/b with one decimal below 10 ("2.4") and none above
// ("43"), as prose states a ratio.
func ratioText(a, b float64) string {
	r := a / b
	if r < 10 {
		return strconv.FormatFloat(r, 'f', 1, 64)
	}
	return strconv.FormatFloat(r, 'f', 0, 64)
}
