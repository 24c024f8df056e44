package lessons

import (
	"net/netip"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// Facts is what the kernel says about one socket at one moment. Fields the
// system cannot tell are -1 (numbers) or "" (state); Limited is set when
// that is because of the operating system rather than the socket.
type Facts struct {
	Name   string
	Peer   bool
	Side   Side
	Proto  Proto
	FD     int // -1 once closed
	Local  netip.AddrPort
	Remote netip.AddrPort
	// State is the TCP state, in the kernel's names (LISTEN, SYN_SENT,
	// ESTABLISHED, FIN_WAIT2, TIME_WAIT...). After close it comes from the
	// kernel's table of connections; "" means the kernel has forgotten it.
	State string
	// RecvQ is the number of bytes waiting to be read (for UDP: the size of
	// the next datagram); SendQ is the send queue (SIOCOUTQ): bytes not
	// yet sent plus bytes sent and not yet acknowledged. For TCP, Unsent
	// is the part never sent (SIOCOUTQNSD): with the peer's window
	// closed, that is all of SendQ.
	RecvQ, SendQ, Unsent int
	// AcceptQ and Backlog describe a listening socket: connections the
	// kernel has completed but accept has not taken yet, and the limit.
	AcceptQ, Backlog int
	Closed           bool
	External         bool // played by the learner in another terminal
	Limited          bool // this system cannot show state or queues
}

// Inspect asks the kernel about the named sockets (all when none are
// named).
func (s *Session) Inspect(names ...string) []Facts {
	var out []Facts
	if len(names) == 0 {
		for _, k := range s.Sockets() {
			out = append(out, s.inspect(k))
		}
		return out
	}
	for _, n := range names {
		if k := s.Socket(n); k != nil {
			out = append(out, s.inspect(k))
		}
	}
	return out
}

func (s *Session) inspect(k *Socket) Facts {
	f := Facts{
		Name: k.Name, Peer: k.Peer, Side: k.Side, Proto: k.Proto, FD: k.FD,
		Local: k.Local, Remote: k.Remote,
		RecvQ: -1, SendQ: -1, Unsent: -1, AcceptQ: -1, Backlog: -1,
		Closed: k.closed, External: k.External,
	}
	if k.External {
		f.FD = -1
		return f
	}
	if k.closed {
		f.FD = -1
		if k.Proto == TCP && k.Local.IsValid() && k.Remote.IsValid() {
			f.State, f.Limited = closedTCPState(k.Family, k.Local, k.Remote)
		}
		return f
	}
	if sa, err := unix.Getsockname(k.FD); err == nil {
		if ap, ok := addrPort(sa); ok {
			f.Local = ap
			k.Local = ap
		}
	}
	if sa, err := unix.Getpeername(k.FD); err == nil {
		if ap, ok := addrPort(sa); ok {
			f.Remote = ap
			k.Remote = ap
		}
	} else if k.Proto == UDP {
		f.Remote = netip.AddrPort{}
	}
	f.Limited = !kernelDetails(k, &f)
	return f
}
