package lessons

import (
	"time"

	"github.com/sockstep/sockstep/lessons/wire"
)

// EventKind says what a timeline row shows.
type EventKind int

const (
	// EventCall is a system call one side made.
	EventCall EventKind = iota
	// EventPacket is what crossed the wire because of a call, sent by
	// Side. It is inferred from the call that caused it (a connect sends
	// SYN, a close sends FIN); the states around it are read from the
	// kernel.
	EventPacket
	// EventState is a TCP state change read from the kernel.
	EventState
	// EventWire is a packet captured on loopback during the step (Wire),
	// sent by Side. When the session captures, these replace the drawn
	// EventPacket rows.
	EventWire
	// EventWireMore stands for the captured packets of a step past the
	// first few: Count of them, Bytes of payload in all the step's packets.
	EventWireMore
)

// Event is one row of the two-party timeline.
type Event struct {
	Side   Side
	Kind   EventKind
	Socket string
	Peer   bool
	Text   string // EventCall: the call; EventPacket: the packet ("SYN", "FIN", "data", "datagram")
	Bytes  int    // EventPacket: the payload of a "data" or "datagram" packet
	From   string // EventState: previous state ("" = none yet)
	To     string // EventState: new state
	// Wire is the captured packet of an EventWire row.
	Wire *wire.Packet
	// Count is the number of packets an EventWireMore row stands for.
	Count int
	// Gap is, on an EventWire row, how long after the step's previous
	// captured packet this one was captured (0 for the step's first): a
	// delayed ACK comes tens of milliseconds after the data.
	Gap time.Duration
	// Dropped is, on an EventWireMore row, how many packets of the step
	// the capture lost (its buffer was full): they are in no count.
	Dropped int
	// At is when the event happened: a call's start, a packet's capture
	// time. A step's rows are put in this order once its packets are in.
	At time.Time
	// Seq numbers the events of a session from 1, in the order they
	// happened; a front end shows "what is new" as the events past the
	// last Seq it showed.
	Seq int
}

// Timeline is the ordered list of events of a session.
type Timeline []Event

// Other returns the opposite side.
func (s Side) Other() Side {
	if s == Client {
		return Server
	}
	return Client
}
