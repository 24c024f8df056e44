package lessons

import (
	"sort"
	"time"

	"github.com/sockstep/sockstep/lessons/wire"
)

// Capture is what a session needs of a packet capture (*wire.Capture):
// it names the ports its calls are about to use, and at the end of each
// step takes the packets that crossed loopback since the last step.
type Capture interface {
	Watch(proto wire.Proto, port uint16) error
	Unwatch(proto wire.Proto, port uint16) error
	Drain(wait time.Duration) wire.Batch
}

// WireShown is how many captured packets a step's timeline lists at most;
// the rest are summed up in one EventWireMore row (a 1 MiB write is
// hundreds of segments). The first WireFirst are listed, then the
// notable ones past them (see PickWire).
const (
	WireShown = 20
	WireFirst = 8
)

// PickWire chooses which of a step's n captured packets to list, at most
// limit: the first first packets, then every notable one (wire.Packet.
// Notable: a SYN, FIN or RST, a retransmission, a window update or a zero
// window, an ICMP error) while room is left, then the earliest of the
// others to fill the room. A lesson's text can then point at the RST that
// comes after a thousand data segments.
func PickWire(n int, notable func(i int) bool, first, limit int) []bool {
	keep := make([]bool, n)
	if n <= limit {
		for i := range keep {
			keep[i] = true
		}
		return keep
	}
	kept := 0
	for i := 0; i < n && kept < min(first, limit); i++ {
		keep[i] = true
		kept++
	}
	for i := 0; i < n && kept < limit; i++ {
		if !keep[i] && notable(i) {
			keep[i] = true
			kept++
		}
	}
	for i := 0; i < n && kept < limit; i++ {
		if !keep[i] {
			keep[i] = true
			kept++
		}
	}
	return keep
}

type wirePort struct {
	proto Proto
	port  uint16
}

// Captured reports whether the session's timeline shows captured packets
// rather than packets drawn from the calls.
func (s *Session) Captured() bool { return s.cfg.Wire != nil }

// watch asks the capture for the packets to and from port, which side
// owns. The first owner named keeps the port.
func (s *Session) watch(proto Proto, port uint16, side Side) {
	if s.cfg.Wire == nil || port == 0 {
		return
	}
	s.mu.Lock()
	key := wirePort{proto, port}
	if _, known := s.wirePorts[key]; !known {
		s.wirePorts[key] = side
	}
	active := s.wireActive[key]
	s.wireActive[key] = true
	s.mu.Unlock()
	if !active {
		// Past the capture's limit the port's packets are simply not
		// shown; the step still runs.
		s.cfg.Wire.Watch(wire.Proto(proto), port)
	}
}

// unwatch gives a port back once the socket that had it is closed (an
// experiment's), so that the capture's filter keeps room for the next.
// Its owner stays known for the packets not yet drained.
func (s *Session) unwatch(proto Proto, port uint16) {
	if s.cfg.Wire == nil {
		return
	}
	s.mu.Lock()
	key := wirePort{proto, port}
	active := s.wireActive[key]
	delete(s.wireActive, key)
	s.mu.Unlock()
	if active {
		s.cfg.Wire.Unwatch(wire.Proto(proto), port)
	}
}

// stepStart returns where the running step's events begin.
func (s *Session) stepStart() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shown = nil
	return len(s.tl)
}

// wireStep takes the packets captured since the last step and puts them
// on the timeline among the step's calls, in the order things happened,
// in place of the packets drawn from the calls. The step's events have not
// been shown yet, so they can be renumbered.
func (s *Session) wireStep(from int) {
	if s.cfg.Wire == nil {
		return
	}
	b := s.cfg.Wire.Drain(0)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range s.extraWire {
		b.Packets = append(b.Packets, x.Packets...)
		b.Skipped += x.Skipped
		b.Bytes += x.Bytes
		b.Dropped += x.Dropped
	}
	s.extraWire = nil
	sort.SliceStable(b.Packets, func(i, j int) bool { return b.Packets[i].Time.Before(b.Packets[j].Time) })
	if from > len(s.tl) {
		from = len(s.tl)
	}
	var step Timeline
	for _, e := range s.tl[from:] {
		if e.Kind != EventPacket {
			step = append(step, e)
		}
	}
	keep := PickWire(len(b.Packets), func(i int) bool { return b.Packets[i].Notable() }, WireFirst, WireShown)
	more := Event{Kind: EventWireMore, Count: b.Skipped, Bytes: int(min(b.Bytes, 1<<62)), Dropped: b.Dropped}
	for i := range b.Packets {
		p := &b.Packets[i]
		if !keep[i] {
			more.Count++
			continue
		}
		e := Event{Kind: EventWire, Side: s.wireSide(p), Wire: p, At: p.Time}
		if i > 0 {
			e.Gap = p.Time.Sub(b.Packets[i-1].Time)
		}
		step = append(step, e)
		more.At = p.Time // the summary follows the last packet listed
	}
	if more.Count > 0 || more.Dropped > 0 {
		if more.At.IsZero() && len(step) > 0 {
			more.At = step[len(step)-1].At
		}
		step = append(step, more)
	}
	sort.SliceStable(step, func(i, j int) bool { return step[i].At.Before(step[j].At) })
	for i := range step {
		step[i].Seq = from + i + 1
	}
	s.tl = append(s.tl[:from], step...)
}

// wireSide tells which side sent p: the owner of its source port, or the
// other side from the owner of its destination port. An ICMP error goes
// back to the sender of the datagram it quotes.
func (s *Session) wireSide(p *wire.Packet) Side {
	src, dst := p.Src, p.Dst
	proto := Proto(p.Proto)
	if p.Quoted != nil {
		src, dst, proto = p.Quoted.Dst, p.Quoted.Src, Proto(p.Quoted.Proto)
	}
	if side, ok := s.wirePorts[wirePort{proto, src.Port()}]; ok && side != NoSide {
		return side
	}
	if side, ok := s.wirePorts[wirePort{proto, dst.Port()}]; ok && side != NoSide {
		return side.Other()
	}
	return Client
}

// nsWire is how an experiment opens a capture in its own network
// namespace, or nil when the session does not capture: headers only, and
// into the session's pcap file, if it writes one, so that the file holds
// every packet the steps show.
func (s *Session) nsWire() *wire.Options {
	if s.cfg.Wire == nil {
		return nil
	}
	opt := &wire.Options{Snap: wire.HeaderSnap}
	if c, ok := s.cfg.Wire.(*wire.Capture); ok {
		opt.Share = c
	}
	return opt
}

// addWire adds packets captured elsewhere during the step (on the loopback
// of an experiment's own network namespace) to the step's packets.
func (s *Session) addWire(b wire.Batch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.extraWire = append(s.extraWire, b)
}

// unwatchAll gives back every port the session's capture keeps: a capture
// outlives a session when the menu runs one lesson after another.
func (s *Session) unwatchAll() {
	if s.cfg.Wire == nil {
		return
	}
	s.mu.Lock()
	var ports []wirePort
	for p := range s.wireActive {
		ports = append(ports, p)
	}
	s.mu.Unlock()
	for _, p := range ports {
		s.unwatch(p.proto, p.port)
	}
}
