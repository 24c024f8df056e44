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

// WireShown is how many captured packets a step's timeline lists; the rest
// are summed up in one EventWireMore row (a 1 MiB write is hundreds of
// segments).
const WireShown = 12

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
	for i := range b.Packets {
		p := &b.Packets[i]
		if i == WireShown {
			step = append(step, Event{Kind: EventWireMore, Count: len(b.Packets) - WireShown + b.Skipped, Bytes: int(min(b.Bytes, 1<<62)), At: p.Time})
			break
		}
		step = append(step, Event{Kind: EventWire, Side: s.wireSide(p), Wire: p, At: p.Time})
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
