package wire

import (
	"net/netip"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Proto is the protocol of a captured packet.
type Proto string

// The protocols a capture decodes.
const (
	TCP  Proto = "tcp"
	UDP  Proto = "udp"
	ICMP Proto = "icmp" // ICMP or ICMPv6 port unreachable
)

// Packet is one captured packet, decoded. TCP sequence and acknowledgement
// numbers are relative to each direction's initial sequence number, as
// Wireshark shows them; the window is the advertised window after window
// scaling (RFC 7323 section 2.2: the scale applies to every segment but
// the SYNs, and only when both SYNs carried the option).
type Packet struct {
	Time  time.Time
	Proto Proto
	Src   netip.AddrPort
	Dst   netip.AddrPort
	// Len is the payload length: TCP segment data, UDP datagram data.
	Len int

	// TCP only.
	Flags string // "SYN", "SYN-ACK", "ACK", "PSH-ACK", "FIN-ACK", "RST", "RST-ACK"...
	Seq   uint32 // relative to ISN
	Ack   uint32 // relative to the other direction's ISN; 0 without ACK
	// ISN is the absolute initial sequence number, set on a SYN only.
	ISN uint32
	// Relative is false when the connection's SYN was not seen: Seq and
	// Ack are then relative to the first segment seen.
	Relative bool
	Win      int // after scaling
	// Scaled reports whether Win was multiplied by a negotiated scale.
	Scaled bool
	// Opts are a SYN's options; nil on other segments.
	Opts *SynOptions
	// Retransmit marks a segment carrying sequence space already sent in
	// its direction.
	Retransmit bool
	// WindowUpdate marks a segment that only announces a larger window:
	// no data, no SYN, FIN or RST, acknowledging what the previous
	// segment of its direction acknowledged (Wireshark's "TCP Window
	// Update").
	WindowUpdate bool

	// ICMP only: the UDP datagram the port unreachable quotes.
	Quoted *Quote

	// Data is the frame as captured (Ethernet header included), for the
	// pcap file. Info is its capture information.
	Data []byte
	Info gopacket.CaptureInfo
}

// Notable reports whether p is one of the packets a lesson points at
// even among hundreds: a SYN, FIN or RST, a retransmission, a zero
// window or a window update, an ICMP error.
func (p *Packet) Notable() bool {
	switch p.Proto {
	case ICMP:
		return true
	case TCP:
		return p.Retransmit || p.WindowUpdate || strings.Contains(p.Flags, "SYN") || strings.Contains(p.Flags, "FIN") ||
			strings.Contains(p.Flags, "RST") || p.Win == 0
	}
	return false
}

// SynOptions are the TCP options a SYN or SYN-ACK offers.
type SynOptions struct {
	MSS      int // 0: not offered
	WScale   int // -1: not offered; else the shift count
	SACKPerm bool
	TS       bool
	TSval    uint32
}

// Quote is the head of the datagram an ICMP error carries back.
type Quote struct {
	Proto Proto
	Src   netip.AddrPort
	Dst   netip.AddrPort
}

// Answers reports whether the ICMP packet p quotes the datagram d.
func (p Packet) Answers(d Packet) bool {
	return p.Quoted != nil && d.Proto == p.Quoted.Proto && d.Src == p.Quoted.Src && d.Dst == p.Quoted.Dst
}

// flow is one direction of a TCP connection.
type flow struct{ src, dst netip.AddrPort }

type half struct {
	base    uint32 // ISN, or the first seq seen
	syn     bool   // base is the ISN
	wscale  int    // offered shift, -1 none
	sentEnd uint32 // highest relative seq+len sent
	seen    bool
	// The last acknowledgement and (scaled) window this direction sent.
	lastAck uint32
	lastWin int
	acked   bool
}

// Decoder turns captured frames into Packets, keeping per direction of
// each TCP four-tuple what relative numbers and window scaling need.
// It is not safe for concurrent use.
type Decoder struct {
	halves map[flow]*half
}

// NewDecoder returns a decoder with no connection state.
func NewDecoder() *Decoder { return &Decoder{halves: map[flow]*half{}} }

// maxFlows bounds the decoder's memory: a lesson has a handful of
// connections; past this many the oldest state is simply forgotten.
const maxFlows = 4096

// Decode decodes one Ethernet frame as captured on loopback. ok is false
// for a frame that is not IPv4/IPv6 TCP, UDP or an ICMP port unreachable.
func (d *Decoder) Decode(data []byte, ci gopacket.CaptureInfo) (p Packet, ok bool) {
	pkt := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
	p = Packet{Time: ci.Timestamp, Data: data, Info: ci}
	var src, dst netip.Addr
	// ipLen is the IP payload's length as the header says: a capture
	// that keeps only the headers still knows how much data followed.
	var ipLen int
	switch n := pkt.NetworkLayer().(type) {
	case *layers.IPv4:
		src, _ = netip.AddrFromSlice(n.SrcIP.To4())
		dst, _ = netip.AddrFromSlice(n.DstIP.To4())
		ipLen = int(n.Length) - int(n.IHL)*4
	case *layers.IPv6:
		src, _ = netip.AddrFromSlice(n.SrcIP.To16())
		dst, _ = netip.AddrFromSlice(n.DstIP.To16())
		ipLen = int(n.Length)
	default:
		return p, false
	}
	if t, isTCP := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP); isTCP {
		p.Proto = TCP
		p.Src = netip.AddrPortFrom(src, uint16(t.SrcPort))
		p.Dst = netip.AddrPortFrom(dst, uint16(t.DstPort))
		d.tcp(&p, t, max(ipLen-int(t.DataOffset)*4, len(t.Payload)))
		return p, true
	}
	if u, isUDP := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP); isUDP && pkt.Layer(layers.LayerTypeICMPv4) == nil && pkt.Layer(layers.LayerTypeICMPv6) == nil {
		p.Proto = UDP
		p.Src = netip.AddrPortFrom(src, uint16(u.SrcPort))
		p.Dst = netip.AddrPortFrom(dst, uint16(u.DstPort))
		p.Len = max(int(u.Length)-8, len(u.Payload))
		return p, true
	}
	var quoted []byte
	v6 := false
	if ic, isICMP := pkt.Layer(layers.LayerTypeICMPv4).(*layers.ICMPv4); isICMP {
		if ic.TypeCode != layers.CreateICMPv4TypeCode(layers.ICMPv4TypeDestinationUnreachable, layers.ICMPv4CodePort) {
			return p, false
		}
		quoted = ic.Payload
	} else if ic, isICMP := pkt.Layer(layers.LayerTypeICMPv6).(*layers.ICMPv6); isICMP {
		if ic.TypeCode != layers.CreateICMPv6TypeCode(layers.ICMPv6TypeDestinationUnreachable, layers.ICMPv6CodePortUnreachable) {
			return p, false
		}
		// The ICMPv6 layer's payload starts with 4 unused bytes.
		if len(ic.Payload) < 4 {
			return p, false
		}
		quoted, v6 = ic.Payload[4:], true
	} else {
		return p, false
	}
	p.Proto = ICMP
	p.Src = netip.AddrPortFrom(src, 0)
	p.Dst = netip.AddrPortFrom(dst, 0)
	p.Quoted = quote(quoted, v6)
	return p, true
}

// quote reads the IP and UDP header an ICMP error carries.
func quote(b []byte, v6 bool) *Quote {
	first := layers.LayerTypeIPv4
	if v6 {
		first = layers.LayerTypeIPv6
	}
	q := gopacket.NewPacket(b, first, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
	var src, dst netip.Addr
	switch n := q.NetworkLayer().(type) {
	case *layers.IPv4:
		src, _ = netip.AddrFromSlice(n.SrcIP.To4())
		dst, _ = netip.AddrFromSlice(n.DstIP.To4())
	case *layers.IPv6:
		src, _ = netip.AddrFromSlice(n.SrcIP.To16())
		dst, _ = netip.AddrFromSlice(n.DstIP.To16())
	default:
		return nil
	}
	if u, ok := q.Layer(layers.LayerTypeUDP).(*layers.UDP); ok {
		return &Quote{Proto: UDP, Src: netip.AddrPortFrom(src, uint16(u.SrcPort)), Dst: netip.AddrPortFrom(dst, uint16(u.DstPort))}
	}
	return nil
}

// tcp fills in a TCP segment carrying n bytes of data.
func (d *Decoder) tcp(p *Packet, t *layers.TCP, n int) {
	p.Len = n
	p.Flags = tcpFlags(t)
	me := flow{p.Src, p.Dst}
	peer := flow{p.Dst, p.Src}
	h := d.halves[me]
	// A SYN with the ISN already seen is the same SYN sent again (its
	// answer was lost); another SYN on the four-tuple starts a new
	// connection (a port reused after TIME_WAIT, a retried connect).
	resent := t.SYN && h != nil && h.syn && h.base == t.Seq
	if !resent && (t.SYN || h == nil) {
		if len(d.halves) >= maxFlows {
			clear(d.halves)
		}
		h = &half{base: t.Seq, syn: t.SYN, wscale: -1}
		d.halves[me] = h
		if t.SYN && !t.ACK {
			delete(d.halves, peer)
		}
	}
	if t.SYN {
		p.ISN = t.Seq
		p.Opts = synOptions(t)
		h.wscale = p.Opts.WScale
	}
	p.Relative = h.syn
	p.Seq = t.Seq - h.base
	o := d.halves[peer]
	if t.ACK {
		if o != nil {
			p.Ack = t.Ack - o.base
		} else {
			p.Ack = t.Ack // no state for the other direction: absolute
			p.Relative = false
		}
	}
	p.Win = int(t.Window)
	if !t.SYN && h.wscale >= 0 && o != nil && o.wscale >= 0 {
		p.Win <<= uint(h.wscale)
		p.Scaled = true
	}
	if t.ACK {
		if h.acked && p.Len == 0 && !t.SYN && !t.FIN && !t.RST && t.Ack == h.lastAck && p.Win > h.lastWin {
			p.WindowUpdate = true
		}
		h.lastAck, h.lastWin, h.acked = t.Ack, p.Win, true
	}
	// Sequence space: data, plus one for SYN and one for FIN.
	space := uint32(p.Len)
	if t.SYN {
		space++
	}
	if t.FIN {
		space++
	}
	if space > 0 {
		end := p.Seq + space
		if h.seen && int32(end-h.sentEnd) <= 0 && !t.RST {
			p.Retransmit = true
		}
		if !h.seen || int32(end-h.sentEnd) > 0 {
			h.sentEnd = end
		}
		h.seen = true
	}
}

func tcpFlags(t *layers.TCP) string {
	var f []string
	if t.SYN {
		f = append(f, "SYN")
	}
	if t.RST {
		f = append(f, "RST")
	}
	if t.PSH {
		f = append(f, "PSH")
	}
	if t.FIN {
		f = append(f, "FIN")
	}
	if t.ACK {
		f = append(f, "ACK")
	}
	if t.URG {
		f = append(f, "URG")
	}
	if len(f) == 0 {
		return "none"
	}
	return strings.Join(f, "-")
}

func synOptions(t *layers.TCP) *SynOptions {
	o := &SynOptions{WScale: -1}
	for _, opt := range t.Options {
		switch opt.OptionType {
		case layers.TCPOptionKindMSS:
			if len(opt.OptionData) == 2 {
				o.MSS = int(opt.OptionData[0])<<8 | int(opt.OptionData[1])
			}
		case layers.TCPOptionKindWindowScale:
			if len(opt.OptionData) == 1 {
				o.WScale = int(opt.OptionData[0])
				if o.WScale > 14 { // RFC 7323 section 2.3: larger is taken as 14
					o.WScale = 14
				}
			}
		case layers.TCPOptionKindSACKPermitted:
			o.SACKPerm = true
		case layers.TCPOptionKindTimestamps:
			if len(opt.OptionData) == 8 {
				o.TS = true
				o.TSval = uint32(opt.OptionData[0])<<24 | uint32(opt.OptionData[1])<<16 | uint32(opt.OptionData[2])<<8 | uint32(opt.OptionData[3])
			}
		}
	}
	return o
}
