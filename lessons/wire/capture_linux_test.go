//go:build linux

package wire

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/sockstep/sockstep/lessons/sockettest"
)

// open starts a capture or fails the test: CI runs as root, where a
// capture that cannot open is a bug, not a reason to skip.
func open(t testing.TB, opt Options) *Capture {
	t.Helper()
	c, err := Open(opt)
	if errors.Is(err, ErrNoPrivilege) && os.Geteuid() != 0 {
		t.Skipf("not root and no CAP_NET_RAW: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func port(t testing.TB, a net.Addr) uint16 {
	t.Helper()
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil {
		t.Fatal(err)
	}
	return ap.Port()
}

// flags lists the flags of the TCP packets, in order.
func flags(ps []Packet) []string {
	var out []string
	for _, p := range ps {
		if p.Proto == TCP {
			out = append(out, p.Flags)
		}
	}
	return out
}

func TestHandshakeDataClose(t *testing.T) {
	c := open(t, Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := c.Watch(TCP, port(t, ln.Addr())); err != nil {
		t.Fatal(err)
	}
	cl, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	sv, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	b := c.Drain(0)
	if !b.Complete {
		t.Fatal("the marker did not come back")
	}
	if got := flags(b.Packets); strings.Join(got, " ") != "SYN SYN-ACK ACK" {
		t.Fatalf("handshake: got %v, want SYN SYN-ACK ACK", got)
	}
	syn, synack, ack := b.Packets[0], b.Packets[1], b.Packets[2]
	if syn.Seq != 0 || syn.ISN == 0 && syn.Opts == nil || synack.Seq != 0 || synack.Ack != 1 || ack.Seq != 1 || ack.Ack != 1 {
		t.Errorf("relative numbers: SYN %d, SYN-ACK %d/%d, ACK %d/%d", syn.Seq, synack.Seq, synack.Ack, ack.Seq, ack.Ack)
	}
	if syn.Opts == nil || syn.Opts.MSS == 0 || synack.Opts == nil || synack.Opts.MSS == 0 {
		t.Errorf("MSS missing on the SYNs: %+v %+v", syn.Opts, synack.Opts)
	}
	if syn.Src.Port() != port(t, cl.LocalAddr()) || syn.Dst.Port() != port(t, ln.Addr()) {
		t.Errorf("SYN from %v to %v", syn.Src, syn.Dst)
	}
	if ack.Opts != nil || ack.ISN != 0 {
		t.Errorf("the third segment carries SYN options or an ISN: %+v", ack)
	}
	if syn.Opts.WScale >= 0 && synack.Opts.WScale >= 0 && !ack.Scaled {
		t.Error("window scale negotiated but the ACK's window is not scaled")
	}

	const n = 1000
	if _, err := cl.Write(bytes.Repeat([]byte("x"), n)); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(sv, make([]byte, n)); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Write([]byte("y")); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(sv, make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	b = c.Drain(0)
	var data []Packet
	for _, p := range b.Packets {
		if p.Len > 0 {
			data = append(data, p)
		}
	}
	if len(data) != 2 || data[0].Seq != 1 || data[0].Len != n || data[1].Seq != 1+n {
		t.Fatalf("data segments: %+v", data)
	}

	cl.Close()
	io.ReadAll(sv)
	sv.Close()
	b = c.Drain(0)
	fins := 0
	for _, p := range b.Packets {
		if strings.Contains(p.Flags, "FIN") {
			fins++
		}
	}
	if fins != 2 {
		t.Errorf("close: %d FINs in %v, want 2", fins, flags(b.Packets))
	}
}

func TestRefusedConnectShowsRST(t *testing.T) {
	c := open(t, Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := port(t, ln.Addr())
	ln.Close()
	c.Watch(TCP, p)
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Fatal("connect to a closed port succeeded")
	}
	got := flags(c.Drain(0).Packets)
	if strings.Join(got, " ") != "SYN RST-ACK" {
		t.Errorf("refused connect: %v, want SYN RST-ACK", got)
	}
}

func TestPortUnreachableMatchesDatagram(t *testing.T) {
	c := open(t, Options{})
	ln, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.LocalAddr().String()
	ln.Close()
	u, err := net.Dial("udp", closed)
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	c.Watch(UDP, port(t, u.LocalAddr()))
	u.Write([]byte("hello"))
	b := c.Drain(0)
	if len(b.Packets) != 2 || b.Packets[0].Proto != UDP || b.Packets[1].Proto != ICMP {
		t.Fatalf("want a datagram and an ICMP port unreachable, got %+v", b.Packets)
	}
	if !b.Packets[1].Answers(b.Packets[0]) || b.Packets[0].Len != 5 {
		t.Errorf("the ICMP quotes %+v, the datagram is %v→%v", b.Packets[1].Quoted, b.Packets[0].Src, b.Packets[0].Dst)
	}
}

// TestManyStepsLoseNothing drains after each of 200 steps: every step's
// packets are in its own batch, none late, none twice.
func TestManyStepsLoseNothing(t *testing.T) {
	c := open(t, Options{Snap: 128})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c.Watch(TCP, port(t, ln.Addr()))
	cl, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	sv, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer sv.Close()
	c.Drain(0)
	buf := make([]byte, 100)
	for i := 0; i < 200; i++ {
		// A round trip: each side sends 10 bytes and reads the other's.
		cl.Write(buf[:10])
		io.ReadFull(sv, buf[:10])
		sv.Write(buf[:10])
		io.ReadFull(cl, buf[:10])
		b := c.Drain(0)
		if !b.Complete {
			t.Fatalf("step %d: marker not back", i)
		}
		var fromClient, fromServer int
		for _, p := range b.Packets {
			if p.Src.Port() == port(t, ln.Addr()) {
				fromServer += p.Len
			} else {
				fromClient += p.Len
			}
		}
		if fromClient != 10 || fromServer != 10 {
			t.Fatalf("step %d: captured %d bytes from the client and %d from the server, want 10 and 10", i, fromClient, fromServer)
		}
	}
	st, err := c.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.Drops != 0 {
		t.Errorf("%d packets dropped", st.Drops)
	}
}

func TestPcapHoldsEachPacketOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := open(t, Options{Pcap: f})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c.Watch(TCP, port(t, ln.Addr()))
	cl, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	sv, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	cl.Write([]byte("hello"))
	io.ReadFull(sv, make([]byte, 5))
	cl.Close()
	io.ReadAll(sv)
	sv.Close()
	want := len(c.Drain(0).Packets)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	seen := map[string]int{}
	packets := sockettest.PcapPackets(t, path)
	for _, data := range packets {
		seen[string(data)]++
	}
	n := len(packets)
	if n != want || n < 8 {
		t.Errorf("the pcap holds %d packets, the capture kept %d (at least 8 expected: 3 handshake, data, ACK, FIN, ACK, FIN, ACK)", n, want)
	}
	for d, k := range seen {
		if k > 1 {
			t.Errorf("a packet of %d bytes is in the file %d times", len(d), k)
		}
	}

	t.Run("tcpdump", func(t *testing.T) {
		bin, err := exec.LookPath("tcpdump")
		if err != nil {
			t.Skip("tcpdump is not installed")
		}
		out, err := exec.Command(bin, "-nn", "-r", path).CombinedOutput()
		if err != nil {
			t.Fatalf("tcpdump -r: %v\n%s", err, out)
		}
		lines := 0
		for _, l := range strings.Split(string(out), "\n") {
			if strings.Contains(l, " IP ") {
				lines++
			}
		}
		if lines != n {
			t.Errorf("tcpdump lists %d packets, want %d:\n%s", lines, n, out)
		}
	})
}

func TestCloseTwiceAndDrainAfterClose(t *testing.T) {
	c := open(t, Options{})
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { c.Drain(time.Second); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Drain after Close hangs")
	}
}

func TestFilterFitsMaxPorts(t *testing.T) {
	var f Filter
	for i := 0; i < MaxPorts; i++ {
		f.TCP = append(f.TCP, uint16(1000+i))
		f.UDP = append(f.UDP, uint16(2000+i))
	}
	if _, err := f.program(maxSnap); err != nil {
		t.Fatal(err)
	}
	f.UDP = append(f.UDP, 9)
	if _, err := f.program(maxSnap); err == nil {
		t.Error("a filter with too many ports assembled")
	}
}

// BenchmarkDrain is the fixed cost a capture adds to each step: the
// marker datagram's round trip through loopback and the capture.
func BenchmarkDrain(b *testing.B) {
	c := open(b, Options{Snap: HeaderSnap})
	for i := 0; i < b.N; i++ {
		if !c.Drain(0).Complete {
			b.Fatal("marker not back")
		}
	}
}

// TestUnwatch: a port given back is no longer kept, and its room in the
// filter is free again.
func TestUnwatch(t *testing.T) {
	c := open(t, Options{Snap: HeaderSnap})
	u, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	p := port(t, u.LocalAddr())
	for i := 0; i < 3*MaxPorts; i++ {
		if err := c.Watch(UDP, p); err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
		if err := c.Watch(UDP, uint16(20000+i)); err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
		if err := c.Unwatch(UDP, uint16(20000+i)); err != nil {
			t.Fatal(err)
		}
	}
	u.WriteTo([]byte("kept"), u.LocalAddr())
	if n := len(c.Drain(0).Packets); n != 1 {
		t.Errorf("%d packets while watched, want 1", n)
	}
	c.Unwatch(UDP, p)
	u.WriteTo([]byte("not kept"), u.LocalAddr())
	if n := len(c.Drain(0).Packets); n != 0 {
		t.Errorf("%d packets after Unwatch, want 0", n)
	}
}

// TestNotableKeptPastLimit: past the packets a batch keeps, a FIN (as an
// RST or a window update would be) is still kept, and the ordinary ones
// are counted.
func TestNotableKeptPastLimit(t *testing.T) {
	c := &Capture{dec: NewDecoder(), snap: HeaderSnap}
	c.handle(frame(t, 1000, 2000, 0, 0, true, false, false, 100, nil, nil), gopacket.CaptureInfo{})
	for i := range maxPending + 100 {
		c.handle(frame(t, 1000, 2000, uint32(1+i), 0, false, false, false, 100, nil, []byte("x")), gopacket.CaptureInfo{})
	}
	c.handle(frame(t, 1000, 2000, uint32(maxPending+101), 0, false, false, true, 100, nil, nil), gopacket.CaptureInfo{})
	if n := len(c.pending); n != maxPending+1 || c.pending[n-1].Flags != "FIN" {
		t.Errorf("%d packets kept, the last %q; want %d, the FIN", n, c.pending[n-1].Flags, maxPending+1)
	}
	if c.skipped != 101 {
		t.Errorf("%d skipped, want 101", c.skipped)
	}
}
