package wire

import (
	"fmt"
	"slices"

	"golang.org/x/net/bpf"
)

// packetOutgoing is PACKET_OUTGOING from linux/if_packet.h: the copy of a
// packet a packet socket sees as it leaves the host (packet(7),
// sll_pkttype). On loopback the same packet comes back as PACKET_HOST.
const packetOutgoing = 4

// MaxPorts bounds the ports one filter watches per protocol: a lesson
// has a few, and a classic BPF conditional jump reaches at most 255
// instructions ahead, which the whole program must fit in.
const MaxPorts = 12

// Filter is what a capture keeps: the outgoing copy of TCP and UDP
// packets from or to one of the ports, and ICMP port unreachables that
// quote a UDP datagram from or to one of the UDP ports.
type Filter struct {
	TCP []uint16
	UDP []uint16
}

// program assembles the filter as classic BPF for a frame on the loopback
// device (a 14-byte Ethernet header of zero addresses). snap is the number
// of bytes of a kept packet handed to the socket (the return value of a
// socket filter, socket(7) SO_ATTACH_FILTER).
//
// IPv4 options are honoured through the header length; IPv6 extension
// headers are not (loopback traffic of sockets carries none).
func (f Filter) program(snap uint32) ([]bpf.RawInstruction, error) {
	if len(f.TCP) > MaxPorts || len(f.UDP) > MaxPorts {
		return nil, fmt.Errorf("a capture watches at most %d ports per protocol", MaxPorts)
	}
	a := &asm{}
	// Keep one copy: the one leaving.
	a.op(bpf.LoadExtension{Num: bpf.ExtType})
	a.jeq(packetOutgoing, "", "drop")
	a.op(bpf.LoadAbsolute{Off: 12, Size: 2})
	a.jeq(0x0800, "v4", "")
	a.jeq(0x86dd, "v6", "drop")

	a.label("v4")
	// Fragments after the first carry no ports.
	a.op(bpf.LoadAbsolute{Off: 20, Size: 2})
	a.jset(0x1fff, "drop", "")
	a.op(bpf.LoadAbsolute{Off: 23, Size: 1})
	a.jeq(6, "v4tcp", "")
	a.jeq(17, "v4udp", "")
	a.jeq(1, "v4icmp", "drop")
	for _, p := range []struct {
		name  string
		ports []uint16
	}{{"v4tcp", f.TCP}, {"v4udp", f.UDP}} {
		a.label(p.name)
		a.op(bpf.LoadMemShift{Off: 14}) // X = IPv4 header length
		a.op(bpf.LoadIndirect{Off: 14, Size: 2})
		a.ports(p.ports, "keep", "")
		a.op(bpf.LoadIndirect{Off: 16, Size: 2})
		a.ports(p.ports, "keep", "drop")
	}
	// ICMP destination unreachable (3), port (3), quoting UDP: the quoted
	// IPv4 header starts 8 bytes into the ICMP message.
	a.label("v4icmp")
	a.op(bpf.LoadMemShift{Off: 14})
	a.op(bpf.LoadIndirect{Off: 14, Size: 1})
	a.jeq(3, "", "drop")
	a.op(bpf.LoadIndirect{Off: 15, Size: 1})
	a.jeq(3, "", "drop")
	a.op(bpf.LoadIndirect{Off: 22 + 9, Size: 1})
	a.jeq(17, "", "drop")
	a.op(bpf.LoadIndirect{Off: 22, Size: 1}) // quoted version and IHL
	a.op(bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: 0x0f})
	a.op(bpf.ALUOpConstant{Op: bpf.ALUOpShiftLeft, Val: 2})
	a.op(bpf.ALUOpX{Op: bpf.ALUOpAdd})
	a.op(bpf.TAX{}) // X = outer + quoted header lengths
	a.op(bpf.LoadIndirect{Off: 22, Size: 2})
	a.ports(f.UDP, "keep", "")
	a.op(bpf.LoadIndirect{Off: 24, Size: 2})
	a.ports(f.UDP, "keep", "drop")

	// IPv6: a fixed 40-byte header; transport ports at 54 and 56.
	a.label("v6")
	a.op(bpf.LoadAbsolute{Off: 20, Size: 1})
	a.jeq(6, "v6tcp", "")
	a.jeq(17, "v6udp", "")
	a.jeq(58, "v6icmp", "drop")
	for _, p := range []struct {
		name  string
		ports []uint16
	}{{"v6tcp", f.TCP}, {"v6udp", f.UDP}} {
		a.label(p.name)
		a.op(bpf.LoadAbsolute{Off: 54, Size: 2})
		a.ports(p.ports, "keep", "")
		a.op(bpf.LoadAbsolute{Off: 56, Size: 2})
		a.ports(p.ports, "keep", "drop")
	}
	// ICMPv6 destination unreachable (1), port unreachable (4), quoting
	// an IPv6 header at 62 whose next header is UDP.
	a.label("v6icmp")
	a.op(bpf.LoadAbsolute{Off: 54, Size: 1})
	a.jeq(1, "", "drop")
	a.op(bpf.LoadAbsolute{Off: 55, Size: 1})
	a.jeq(4, "", "drop")
	a.op(bpf.LoadAbsolute{Off: 62 + 6, Size: 1})
	a.jeq(17, "", "drop")
	a.op(bpf.LoadAbsolute{Off: 102, Size: 2})
	a.ports(f.UDP, "keep", "")
	a.op(bpf.LoadAbsolute{Off: 104, Size: 2})
	a.ports(f.UDP, "keep", "drop")

	a.label("keep")
	a.op(bpf.RetConstant{Val: snap})
	a.label("drop")
	a.op(bpf.RetConstant{Val: 0})
	return a.assemble()
}

// asm is a tiny assembler with forward labels, so the filter reads as a
// list of tests rather than as counted jump offsets.
type asm struct {
	ins    []bpf.Instruction
	jumps  map[int][2]string // instruction index → labels for true, false ("" = next)
	labels map[string]int
}

func (a *asm) op(i bpf.Instruction) { a.ins = append(a.ins, i) }

func (a *asm) label(name string) {
	if a.labels == nil {
		a.labels = map[string]int{}
	}
	a.labels[name] = len(a.ins)
}

func (a *asm) jump(i bpf.JumpIf, yes, no string) {
	if a.jumps == nil {
		a.jumps = map[int][2]string{}
	}
	a.jumps[len(a.ins)] = [2]string{yes, no}
	a.ins = append(a.ins, i)
}

func (a *asm) jeq(v uint32, yes, no string) {
	a.jump(bpf.JumpIf{Cond: bpf.JumpEqual, Val: v}, yes, no)
}

func (a *asm) jset(v uint32, yes, no string) {
	a.jump(bpf.JumpIf{Cond: bpf.JumpBitsSet, Val: v}, yes, no)
}

// ports jumps to yes when A is one of ports, else to no.
func (a *asm) ports(ports []uint16, yes, no string) {
	ps := slices.Clone(ports)
	slices.Sort(ps)
	ps = slices.Compact(ps)
	if len(ps) == 0 {
		if no != "" {
			a.jeq(1<<16, no, no) // A holds a 16-bit port: always false
		}
		return
	}
	for i, p := range ps {
		if i < len(ps)-1 {
			a.jeq(uint32(p), yes, "")
		} else {
			a.jeq(uint32(p), yes, no)
		}
	}
}

func (a *asm) assemble() ([]bpf.RawInstruction, error) {
	if a.jumps == nil {
		a.jumps = map[int][2]string{}
	}
	out := slices.Clone(a.ins)
	for i, tgt := range a.jumps {
		off := func(l string) (uint8, error) {
			if l == "" {
				return 0, nil
			}
			at, ok := a.labels[l]
			if !ok || at <= i || at-i-1 > 255 {
				return 0, fmt.Errorf("bpf: bad jump from %d to %q", i, l)
			}
			return uint8(at - i - 1), nil
		}
		yes, err := off(tgt[0])
		if err != nil {
			return nil, err
		}
		no, err := off(tgt[1])
		if err != nil {
			return nil, err
		}
		j := out[i].(bpf.JumpIf)
		j.SkipTrue, j.SkipFalse = yes, no
		out[i] = j
	}
	return bpf.Assemble(out)
}
