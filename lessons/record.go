package lessons

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"time"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// call is a system call about to be reported.
type call struct {
	k     *Socket
	name  string // the system call, "bind"
	text  string // the call as code, "bind(3, 127.0.0.1:7788)"
	start time.Time
	note  string         // message key explaining the result
	data  []byte         // payload sent or received
	from  netip.AddrPort // sender, for recvfrom
	// packets the call put on the wire, recorded after the call itself
	packets []Event
}

// begin starts reporting the system call name on k; format and args
// write its arguments.
func (s *Session) begin(k *Socket, name, format string, args ...any) *call {
	return &call{k: k, name: name, text: name + "(" + fmt.Sprintf(format, args...) + ")", start: time.Now()}
}

// done reports the call to the UI and the timeline. err, when not nil, is
// the raw errno; done wraps it so that the message names the call
// (os.SyscallError).
func (s *Session) done(c *call, ret string, err error) (Call, error) {
	out := Call{
		Side: c.k.Side, Peer: c.k.Peer, Socket: c.k.Name,
		Text: c.text, Ret: ret, Data: c.data, From: c.from, Note: c.note, Wall: time.Since(c.start),
		Proto: c.k.Proto,
	}
	if err != nil {
		err = os.NewSyscallError(c.name, err)
		out.Err = err
		var errno unix.Errno
		if s.expect != 0 && errors.As(err, &errno) && errno == s.expect {
			out.Expected = true
		}
	}
	s.event(Event{Side: c.k.Side, Kind: EventCall, Socket: c.k.Name, Peer: c.k.Peer, Text: callSummary(out), At: c.start})
	for _, p := range c.packets {
		p.At = c.start
		s.event(p)
	}
	if err != nil {
		s.shownFailing(err)
	}
	s.ui.Call(out)
	return out, err
}

func callSummary(c Call) string {
	if c.Err != nil {
		var errno unix.Errno
		if errors.As(c.Err, &errno) {
			return c.Text + " → " + ErrnoName(errno)
		}
		return c.Text + " → error"
	}
	return c.Text + " → " + c.Ret
}

// packet notes what a call put on the wire, sent by side; it joins the
// timeline right after the call.
func (c *call) packet(side Side, k *Socket, what string) {
	c.packets = append(c.packets, Event{Side: side, Kind: EventPacket, Socket: k.Name, Peer: k.Peer, Text: what})
}

// payload records a packet that carries n bytes: what is "data" or
// "datagram", which the runner names in the learner's language.
func (c *call) payload(side Side, k *Socket, what string, n int) {
	c.packets = append(c.packets, Event{Side: side, Kind: EventPacket, Socket: k.Name, Peer: k.Peer, Text: what, Bytes: n})
}
