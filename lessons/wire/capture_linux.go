//go:build linux

package wire

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"slices"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"golang.org/x/sys/unix"
)

// Capture is a packet capture on the loopback device. Watch adds the
// ports to keep; Drain hands over the packets since the last Drain. Close
// releases the socket and flushes the pcap file, on every path.
type Capture struct {
	f    *os.File
	rc   syscall.RawConn
	ifx  int
	snap uint32
	dec  *Decoder
	// pcap is the pcap file, this capture's own or shared with the
	// capture that opened it (Options.Share).
	pcap  *pcapSink
	done  chan struct{}
	ping  chan struct{}
	once  sync.Once
	drain sync.Mutex // one Drain at a time

	// marker is a UDP socket connected to itself: a datagram it sends
	// after a step's calls comes through the capture after every packet
	// those calls sent, so Drain knows the step's packets are all in.
	marker     int
	markerAddr netip.AddrPort

	mu         sync.Mutex
	filter     Filter
	pending    []Packet
	skipped    int
	bytes      int64
	retrans    int
	markerSent uint64
	markerSeen uint64
	readErr    error
	stats      Stats
	drainDrops uint64 // stats.Drops at the last Drain
	closed     bool
}

// Open starts capturing on the loopback device. Nothing is kept until
// Watch names a port. An error wraps ErrUnavailable; without CAP_NET_RAW
// it also wraps ErrNoPrivilege.
func Open(opt Options) (c *Capture, err error) {
	snap := opt.Snap
	if snap <= 0 || snap > maxSnap {
		snap = maxSnap
	}
	lo, err := loopback()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	// Protocol 0: the socket receives nothing until bind names one, so
	// no packet slips in before the filter is attached (packet(7)).
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0)
	if err != nil {
		if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
			return nil, fmt.Errorf("%w: %w: %w", ErrUnavailable, ErrNoPrivilege, err)
		}
		return nil, fmt.Errorf("%w: opening a packet socket: %w", ErrUnavailable, err)
	}
	c = &Capture{ifx: lo, snap: uint32(snap), dec: NewDecoder(), done: make(chan struct{}), ping: make(chan struct{}, 1), marker: -1}
	c.f = os.NewFile(uintptr(fd), "packet socket on lo")
	defer func() {
		if err != nil {
			c.f.Close()
			if c.marker >= 0 {
				unix.Close(c.marker)
			}
			err = fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
	}()
	if c.rc, err = c.f.SyscallConn(); err != nil {
		return nil, err
	}
	if err = c.openMarker(); err != nil {
		return nil, err
	}
	c.filter = Filter{UDP: []uint16{c.markerAddr.Port()}}
	if err = c.attach(); err != nil {
		return nil, err
	}
	err = c.control(func(fd int) error {
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1); err != nil {
			return fmt.Errorf("asking for timestamps: %w", err)
		}
		// A bigger receive buffer than the default 208 KiB, so a burst
		// of segments is not dropped; SO_RCVBUFFORCE passes rmem_max
		// with CAP_NET_ADMIN, else SO_RCVBUF is capped by it (socket(7)).
		if unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, 8<<20) != nil {
			unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, 8<<20)
		}
		return unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: htons(unix.ETH_P_ALL), Ifindex: lo})
	})
	if err != nil {
		return nil, fmt.Errorf("binding the packet socket to lo: %w", err)
	}
	if opt.Share != nil && opt.Share.pcap != nil {
		c.pcap = opt.Share.pcap
		if !c.pcap.full() && c.snap < maxSnap {
			// Whole packets, as the file takes them.
			c.snap = maxSnap
			if err = c.attach(); err != nil {
				return nil, err
			}
		}
	} else if opt.Pcap != nil {
		left := opt.PcapFull
		if left <= 0 {
			left = DefaultPcapFull
		}
		buf := bufio.NewWriterSize(opt.Pcap, 64<<10)
		c.pcap = &pcapSink{w: pcapgo.NewWriter(buf), buf: buf, left: left}
		if err = c.pcap.w.WriteFileHeader(uint32(snap), layers.LinkTypeEthernet); err != nil {
			return nil, fmt.Errorf("writing the pcap header: %w", err)
		}
	}
	go c.read()
	return c, nil
}

// pcapSink is a pcap file one capture or more write into: a capture in
// an experiment's network namespace shares the session's.
type pcapSink struct {
	mu  sync.Mutex
	w   *pcapgo.Writer
	buf *bufio.Writer
	// left is how many bytes of whole packets the file may still take;
	// past it packets are written with their headers only.
	left int64
}

// write adds one packet to the file, cut to its headers once the file
// has its share of whole packets.
func (s *pcapSink) write(ci gopacket.CaptureInfo, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.left -= int64(len(data)); s.left < 0 && len(data) > HeaderSnap {
		ci.CaptureLength = HeaderSnap
		data = data[:HeaderSnap]
	}
	s.w.WritePacket(ci, data)
}

// full reports whether the file takes headers only from now on.
func (s *pcapSink) full() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.left < 0
}

func (s *pcapSink) flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Flush()
}

func loopback() (int, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return 0, err
	}
	for _, i := range ifs {
		if i.Flags&net.FlagLoopback != 0 {
			return i.Index, nil
		}
	}
	return 0, errors.New("no loopback device")
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

func (c *Capture) control(f func(fd int) error) error {
	var err error
	if cerr := c.rc.Control(func(fd uintptr) { err = f(int(fd)) }); cerr != nil {
		return cerr
	}
	return err
}

// attach replaces the socket's filter with c.filter; the kernel swaps it
// atomically (socket(7) SO_ATTACH_FILTER).
func (c *Capture) attach() error {
	prog, err := c.filter.program(c.snap)
	if err != nil {
		return err
	}
	ins := make([]unix.SockFilter, len(prog))
	for i, r := range prog {
		ins[i] = unix.SockFilter{Code: r.Op, Jt: r.Jt, Jf: r.Jf, K: r.K}
	}
	return c.control(func(fd int) error {
		return unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &unix.SockFprog{Len: uint16(len(ins)), Filter: &ins[0]})
	})
}

func (c *Capture) openMarker() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0)
	if err != nil {
		return fmt.Errorf("opening the marker socket: %w", err)
	}
	c.marker = fd
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		return fmt.Errorf("binding the marker socket: %w", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return err
	}
	in := sa.(*unix.SockaddrInet4)
	c.markerAddr = netip.AddrPortFrom(netip.AddrFrom4(in.Addr), uint16(in.Port))
	return unix.Connect(fd, in)
}

// Watch keeps the packets of proto (TCP or UDP) from or to port from now
// on; for UDP also the ICMP port unreachables that quote them.
func (c *Capture) Watch(proto Proto, port uint16) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	list := &c.filter.TCP
	if proto == UDP {
		list = &c.filter.UDP
	}
	if port == 0 || slices.Contains(*list, port) {
		return nil
	}
	*list = append(*list, port)
	if err := c.attach(); err != nil {
		*list = (*list)[:len(*list)-1]
		return err
	}
	return nil
}

// Unwatch stops keeping the packets of proto from or to port (an
// experiment's socket, closed).
func (c *Capture) Unwatch(proto Proto, port uint16) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	list := &c.filter.TCP
	if proto == UDP {
		list = &c.filter.UDP
	}
	i := slices.Index(*list, port)
	if i < 0 {
		return nil
	}
	*list = slices.Delete(*list, i, i+1)
	return c.attach()
}

// read runs until Close, decoding every packet the filter keeps.
func (c *Capture) read() {
	defer close(c.done)
	buf := make([]byte, c.snap)
	oob := make([]byte, unix.CmsgSpace(int(unsafe.Sizeof(unix.Timespec{})))+64)
	for {
		var n, oobn int
		var rerr error
		err := c.rc.Read(func(fd uintptr) bool {
			n, oobn, _, _, rerr = unix.Recvmsg(int(fd), buf, oob, unix.MSG_TRUNC)
			return rerr != unix.EAGAIN
		})
		if err == nil && rerr == unix.EINTR {
			continue
		}
		if err == nil {
			err = rerr
		}
		if err != nil {
			c.mu.Lock()
			if !c.closed {
				c.readErr = err
			}
			c.mu.Unlock()
			c.notify()
			return
		}
		caplen := min(n, len(buf))
		ci := gopacket.CaptureInfo{Timestamp: timestamp(oob[:oobn]), CaptureLength: caplen, Length: n, InterfaceIndex: c.ifx}
		c.handle(slices.Clone(buf[:caplen]), ci)
	}
}

func timestamp(oob []byte) time.Time {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err == nil {
		for _, m := range msgs {
			if m.Header.Level == unix.SOL_SOCKET && m.Header.Type == unix.SO_TIMESTAMPNS && len(m.Data) >= int(unsafe.Sizeof(unix.Timespec{})) {
				ts := (*unix.Timespec)(unsafe.Pointer(&m.Data[0]))
				return time.Unix(int64(ts.Sec), int64(ts.Nsec))
			}
		}
	}
	return time.Now()
}

func (c *Capture) handle(data []byte, ci gopacket.CaptureInfo) {
	p, ok := c.dec.Decode(data, ci)
	if !ok {
		return
	}
	if p.Proto == UDP && p.Src == c.markerAddr && p.Dst == c.markerAddr {
		if len(data) >= 8 {
			seq := binary.BigEndian.Uint64(data[len(data)-8:])
			c.mu.Lock()
			c.markerSeen = max(c.markerSeen, seq)
			c.mu.Unlock()
		}
		c.notify()
		return
	}
	full := false
	if c.pcap != nil {
		c.pcap.write(ci, data)
		full = c.pcap.full()
	}
	c.mu.Lock()
	if full && c.snap > HeaderSnap {
		// The file has its share of whole packets: from now on the
		// kernel hands over headers only, which is also cheaper.
		c.snap = HeaderSnap
		c.attach()
	}
	c.bytes += int64(p.Len)
	if p.Retransmit {
		c.retrans++
	}
	// Past the limit, the packets a lesson points at (an RST, a window
	// update, a retransmission) are still kept, up to a bound of their own.
	if len(c.pending) < maxPending || (p.Notable() && len(c.pending) < maxPending+maxNotable) {
		c.pending = append(c.pending, p)
	} else {
		c.skipped++
	}
	c.mu.Unlock()
	c.notify()
}

func (c *Capture) notify() {
	select {
	case c.ping <- struct{}{}:
	default:
	}
}

// Drain returns the packets kept since the previous Drain, waiting at most
// wait (DefaultWait when 0) for the packets already sent to come through:
// it sends a marker datagram on loopback and waits until the capture has
// read it. Packets on loopback are handed to the capture in the order
// they are sent, so the marker comes after every packet sent before it.
func (c *Capture) Drain(wait time.Duration) Batch {
	c.drain.Lock()
	defer c.drain.Unlock()
	if wait <= 0 {
		wait = DefaultWait
	}
	c.mu.Lock()
	c.markerSent++
	want := c.markerSent
	closed := c.closed
	c.mu.Unlock()
	complete := false
	if !closed {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], want)
		if _, err := unix.Write(c.marker, b[:]); err == nil {
			t := time.NewTimer(wait)
			defer t.Stop()
		wait:
			for {
				c.mu.Lock()
				complete = c.markerSeen >= want
				c.mu.Unlock()
				if complete {
					break
				}
				select {
				case <-c.ping:
				case <-c.done:
					break wait
				case <-t.C:
					break wait
				}
			}
		}
		c.discardMarkers()
	}
	st, _ := c.Stats()
	c.mu.Lock()
	defer c.mu.Unlock()
	out := Batch{Packets: c.pending, Skipped: c.skipped, Bytes: c.bytes, Complete: complete, Retransmits: c.retrans,
		Dropped: int(min(st.Drops-c.drainDrops, 1<<31))}
	c.drainDrops = st.Drops
	c.pending, c.skipped, c.bytes, c.retrans = nil, 0, 0, 0
	return out
}

// discardMarkers empties the marker socket's own receive queue.
func (c *Capture) discardMarkers() {
	var b [16]byte
	for i := 0; i < 1024; i++ {
		if _, _, err := unix.Recvfrom(c.marker, b[:], unix.MSG_DONTWAIT); err != nil {
			return
		}
	}
}

// Stats reads the socket's counters (packet(7) PACKET_STATISTICS, which
// the kernel resets on each read; Stats adds them up). The marker
// datagrams are counted too.
func (c *Capture) Stats() (Stats, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return c.stats, nil
	}
	var st *unix.TpacketStats
	err := c.control(func(fd int) error {
		var err error
		st, err = unix.GetsockoptTpacketStats(fd, unix.SOL_PACKET, unix.PACKET_STATISTICS)
		return err
	})
	if err != nil {
		return c.stats, fmt.Errorf("reading the capture's statistics: %w", err)
	}
	c.stats.Packets += uint64(st.Packets)
	c.stats.Drops += uint64(st.Drops)
	return c.stats, nil
}

// Err reports why the capture stopped reading, if it did before Close.
func (c *Capture) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.readErr
}

// closeWait bounds Close's last Drain.
const closeWait = 50 * time.Millisecond

// Close stops the capture, closes its sockets and flushes the pcap file.
// It is safe to call more than once.
func (c *Capture) Close() error {
	var err error
	c.once.Do(func() {
		// What is queued still goes into the pcap file.
		c.Drain(closeWait)
		c.Stats()
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
		err = c.f.Close() // wakes the reader
		<-c.done
		unix.Close(c.marker)
		if c.pcap != nil {
			if ferr := c.pcap.flush(); ferr != nil && err == nil {
				err = fmt.Errorf("writing the pcap file: %w", ferr)
			}
		}
	})
	return err
}
