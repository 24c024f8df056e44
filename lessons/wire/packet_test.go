package wire

import (
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// frame builds a loopback frame holding one TCP segment.
func frame(t *testing.T, sport, dport uint16, seq, ack uint32, syn, isACK, fin bool, win uint16, opts []layers.TCPOption, payload []byte) []byte {
	t.Helper()
	eth := &layers.Ethernet{SrcMAC: make(net.HardwareAddr, 6), DstMAC: make(net.HardwareAddr, 6), EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: net.IPv4(127, 0, 0, 1), DstIP: net.IPv4(127, 0, 0, 1)}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport), Seq: seq, Ack: ack, SYN: syn, ACK: isACK, FIN: fin, Window: win, Options: opts}
	tcp.SetNetworkLayerForChecksum(ip)
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, tcp, gopacket.Payload(payload)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func decode(t *testing.T, d *Decoder, b []byte) Packet {
	t.Helper()
	p, ok := d.Decode(b, gopacket.CaptureInfo{CaptureLength: len(b), Length: len(b)})
	if !ok {
		t.Fatal("not decoded")
	}
	return p
}

func wscale(n byte) layers.TCPOption {
	return layers.TCPOption{OptionType: layers.TCPOptionKindWindowScale, OptionLength: 3, OptionData: []byte{n}}
}

// TestWindowScaling: the scale applies only when both SYNs offered it
// (RFC 7323 section 2.2), and never to the SYNs themselves.
func TestWindowScaling(t *testing.T) {
	d := NewDecoder()
	syn := decode(t, d, frame(t, 1000, 2000, 500, 0, true, false, false, 65535, []layers.TCPOption{wscale(7)}, nil))
	if syn.Win != 65535 || syn.Scaled || syn.Opts.WScale != 7 || syn.ISN != 500 {
		t.Errorf("SYN: %+v", syn)
	}
	sa := decode(t, d, frame(t, 2000, 1000, 9000, 501, true, true, false, 65535, []layers.TCPOption{wscale(3)}, nil))
	if sa.Win != 65535 || sa.Seq != 0 || sa.Ack != 1 {
		t.Errorf("SYN-ACK: %+v", sa)
	}
	ack := decode(t, d, frame(t, 1000, 2000, 501, 9001, false, true, false, 64, nil, nil))
	if ack.Win != 64<<7 || !ack.Scaled || ack.Seq != 1 || ack.Ack != 1 {
		t.Errorf("ACK: win %d scaled %v seq %d ack %d, want %d", ack.Win, ack.Scaled, ack.Seq, ack.Ack, 64<<7)
	}
	back := decode(t, d, frame(t, 2000, 1000, 9001, 501, false, true, false, 64, nil, nil))
	if back.Win != 64<<3 {
		t.Errorf("the server's window: %d, want %d", back.Win, 64<<3)
	}

	// Only one side offers the option: no scaling either way.
	d = NewDecoder()
	decode(t, d, frame(t, 1000, 2000, 500, 0, true, false, false, 65535, []layers.TCPOption{wscale(7)}, nil))
	decode(t, d, frame(t, 2000, 1000, 9000, 501, true, true, false, 65535, nil, nil))
	if p := decode(t, d, frame(t, 1000, 2000, 501, 9001, false, true, false, 64, nil, nil)); p.Win != 64 || p.Scaled {
		t.Errorf("one-sided window scale applied: %+v", p)
	}
}

func TestRetransmission(t *testing.T) {
	d := NewDecoder()
	decode(t, d, frame(t, 1000, 2000, 0, 0, true, false, false, 100, nil, nil))
	if p := decode(t, d, frame(t, 1000, 2000, 0, 0, true, false, false, 100, nil, nil)); !p.Retransmit || p.Seq != 0 {
		t.Errorf("the same SYN again: %+v", p)
	}
	decode(t, d, frame(t, 2000, 1000, 0, 1, true, true, false, 100, nil, nil))
	if p := decode(t, d, frame(t, 2000, 1000, 0, 1, true, true, false, 100, nil, nil)); !p.Retransmit || p.Ack != 1 {
		t.Errorf("the same SYN-ACK again: %+v", p)
	}
	first := decode(t, d, frame(t, 1000, 2000, 1, 1, false, true, false, 100, nil, []byte("hello")))
	again := decode(t, d, frame(t, 1000, 2000, 1, 1, false, true, false, 100, nil, []byte("hello")))
	next := decode(t, d, frame(t, 1000, 2000, 6, 1, false, true, false, 100, nil, []byte("world")))
	pureACK := decode(t, d, frame(t, 1000, 2000, 11, 1, false, true, false, 100, nil, nil))
	if first.Retransmit || !again.Retransmit || next.Retransmit || pureACK.Retransmit {
		t.Errorf("retransmit flags: first %v, again %v, next %v, ACK %v", first.Retransmit, again.Retransmit, next.Retransmit, pureACK.Retransmit)
	}
	if again.Seq != 1 || next.Seq != 6 {
		t.Errorf("relative seq %d, %d", again.Seq, next.Seq)
	}
}

// TestLenFromHeaders: a capture that keeps only the headers still tells
// how many bytes the segment carried.
func TestLenFromHeaders(t *testing.T) {
	b := frame(t, 1000, 2000, 1, 1, false, true, false, 100, nil, make([]byte, 3000))
	p := decode(t, NewDecoder(), b[:HeaderSnap])
	if p.Len != 3000 {
		t.Errorf("Len %d from a %d-byte capture, want 3000", p.Len, HeaderSnap)
	}
}

// TestMidConnection: without the SYN, numbers are relative to the first
// segment seen and marked so.
func TestMidConnection(t *testing.T) {
	d := NewDecoder()
	p := decode(t, d, frame(t, 1000, 2000, 777, 888, false, true, false, 100, nil, []byte("x")))
	if p.Relative || p.Seq != 0 || p.Ack != 888 || p.Scaled {
		t.Errorf("%+v", p)
	}
}

// TestWindowUpdate: a bare ACK repeating the last acknowledgement with a
// larger window is a window update; a duplicate ACK (same window) and an
// ACK of new data are not.
func TestWindowUpdate(t *testing.T) {
	d := NewDecoder()
	decode(t, d, frame(t, 1000, 2000, 0, 0, true, false, false, 100, nil, nil))
	decode(t, d, frame(t, 2000, 1000, 0, 1, true, true, false, 100, nil, nil))
	decode(t, d, frame(t, 1000, 2000, 1, 1, false, true, false, 100, nil, []byte("hello")))
	small := decode(t, d, frame(t, 2000, 1000, 1, 6, false, true, false, 0, nil, nil))
	dup := decode(t, d, frame(t, 2000, 1000, 1, 6, false, true, false, 0, nil, nil))
	update := decode(t, d, frame(t, 2000, 1000, 1, 6, false, true, false, 50, nil, nil))
	if small.WindowUpdate || dup.WindowUpdate || !update.WindowUpdate {
		t.Errorf("window update flags: ACK of data %v, duplicate %v, larger window %v", small.WindowUpdate, dup.WindowUpdate, update.WindowUpdate)
	}
	if !small.Notable() || !update.Notable() {
		t.Error("a zero window and a window update are notable")
	}
	if p := decode(t, d, frame(t, 1000, 2000, 6, 1, false, true, false, 100, nil, []byte("x"))); p.Notable() {
		t.Errorf("an ordinary data segment is notable: %+v", p)
	}
}
