package lessons

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// Throughput: how fast loopback moves data. There is no wire: the numbers
// measure the kernel's copying and the CPU, which is exactly what makes
// the difference between one syscall per 128 KiB (TCP) and one syscall per
// datagram (UDP) visible.

// tcpChunk is the size of each write and read of the TCP transfer, as
// iperf3 uses by default.
const tcpChunk = 128 << 10

// tcpRate is one bulk transfer.
type tcpRate struct {
	Sent, Received int64
	Elapsed        time.Duration
}

// BytesPerSecond is the received rate.
func (r tcpRate) BytesPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Received) / r.Elapsed.Seconds()
}

// tcpThroughput sends for d on one connection, as fast as the kernel
// takes it, and measures what the receiver got. The sender and the
// receiver each run in their own goroutine with blocking calls: the
// receiver ends at the sender's FIN, which the sender always sends.
func (l *lab) tcpThroughput(ctx context.Context, d time.Duration) (tcpRate, error) {
	var res tcpRate
	c, srv, err := l.tcpPair(ctx)
	if err != nil {
		return res, err
	}
	sent := make(chan error, 1)
	start := time.Now()
	go func() {
		defer unix.Shutdown(c, unix.SHUT_WR) // the receiver's EOF
		data := payload(tcpChunk)
		deadline := start.Add(d)
		for i := 0; ; i++ {
			if i%64 == 0 && (time.Now().After(deadline) || ctx.Err() != nil) {
				sent <- ctx.Err()
				return
			}
			n, err := unix.Write(c, data)
			if errors.Is(err, unix.EINTR) {
				continue
			}
			if err != nil {
				sent <- fmt.Errorf("send: %w", err)
				return
			}
			res.Sent += int64(n)
		}
	}()
	buf := make([]byte, 4*tcpChunk) // fewer reads than writes: the receiver keeps up
	for {
		n, err := unix.Read(srv, buf)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			unix.Shutdown(srv, unix.SHUT_RDWR)
			<-sent
			return res, fmt.Errorf("recv: %w", err)
		}
		if n == 0 {
			break
		}
		res.Received += int64(n)
	}
	res.Elapsed = time.Since(start)
	if err := <-sent; err != nil {
		return res, err
	}
	return res, nil
}

// udpRate is one datagram blast.
type udpRate struct {
	Size           int
	Sent, Received int
	Elapsed        time.Duration
}

// udpThroughput sends datagrams of size bytes for d, as fast as sendto
// returns, while a receiver reads them; it reports what got through.
func (l *lab) udpThroughput(ctx context.Context, d time.Duration, size int) (udpRate, error) {
	res := udpRate{Size: size}
	tx, rx, _, to, err := l.udpPair()
	if err != nil {
		return res, err
	}
	// The receiver stops once nothing has come for 200 ms.
	tv := unix.NsecToTimeval(int64(200 * time.Millisecond))
	if err := unix.SetsockoptTimeval(rx, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		return res, err
	}
	got := make(chan int, 1)
	go func() {
		buf := make([]byte, 65536)
		n := 0
		for {
			_, _, err := unix.Recvfrom(rx, buf, 0)
			if errors.Is(err, unix.EINTR) {
				continue
			}
			if err != nil { // EAGAIN: the timeout, the sender is done
				got <- n
				return
			}
			n++
		}
	}()
	data := payload(size)
	start := time.Now()
	deadline := start.Add(d)
	for i := 0; ; i++ {
		if i%256 == 0 && (time.Now().After(deadline) || ctx.Err() != nil) {
			break
		}
		err := unix.Sendto(tx, data, 0, to)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			<-got
			return res, fmt.Errorf("sendto: %w", err)
		}
		res.Sent++
	}
	res.Elapsed = time.Since(start)
	res.Received = <-got
	return res, ctx.Err()
}

func init() {
	registerExperiment(&Spec{Action: "throughput",
		Example: "experiment throughput seconds=1",
		Params:  []Param{{Name: "seconds"}, {Name: "size"}},
		preview: func(s *Session, a args) string {
			sec := orDefault(a.get("seconds"), "1")
			return fmt.Sprintf("send(c, <131072 bytes>, 0) …   # %s s\nrecv(conn, 524288, 0) …\nsendto(tx, <%s bytes>, 0, rx) …   # %s s\nrecvfrom(rx, 65536, 0) …", sec, orDefault(a.get("size"), "1400"), sec)
		},
		run: func(ctx context.Context, s *Session, a args) error {
			sec, err := a.intIn("seconds", 1, 1, 30)
			if err != nil {
				return err
			}
			size, err := a.intIn("size", 1400, 1, 65000)
			if err != nil {
				return err
			}
			d := time.Duration(sec) * time.Second
			l := s.newLab()
			defer l.close()
			tcp, err := l.tcpThroughput(ctx, d)
			if err != nil {
				return err
			}
			udp, err := l.udpThroughput(ctx, d, size)
			if err != nil {
				return err
			}
			tcpMB := tcp.BytesPerSecond() / 1e6
			udpMB := float64(udp.Received*udp.Size) / udp.Elapsed.Seconds() / 1e6
			s.measure(Measurement{Title: "exp.tp.title", Rows: []Row{
				{Key: "exp.tp.tcp", Args: []any{tcp.Received, ms(tcp.Elapsed), tcpMB, float64(tcp.Received) / tcpChunk / tcp.Elapsed.Seconds()}},
				{Key: "exp.tp.udp-sent", Args: []any{udp.Sent, udp.Size, float64(udp.Sent) / udp.Elapsed.Seconds()}},
				{Key: "exp.tp.udp-received", Args: []any{udp.Received, udpMB}},
				{Key: "exp.tp.udp-lost", Args: []any{udp.Sent - udp.Received}},
			}, Bars: []Bar{
				{Key: "exp.tp.bar-tcp", Value: tcpMB, Unit: "MB/s"},
				{Key: "exp.tp.bar-udp", Value: udpMB, Unit: "MB/s"},
			}})
			return nil
		}})
}
