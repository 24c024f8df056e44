package verify

import (
	"net"
	"net/netip"
	"sync"

	"github.com/sockstep/sockstep/runner/verify/proc"
)

// Programs checked at the same time (a batch with -j) share loopback: one
// that sends to every port reaches verify's socket of another's check. As
// root each program runs as a uid of its own (proc.Process.UID), and the
// kernel's socket tables name the owner of every socket: a datagram or a
// connection from a port that another uid holds is not the program's, and
// verify ignores it. One from a socket that is gone is kept: an honest
// program often sends and exits before verify reads. So a sender that
// closes each socket at once after sending is not caught (only a network
// namespace per program would catch it). As an ordinary user every program
// has the user's uid and nothing can be told apart.

// senders remembers, for one run, which source ports were found foreign.
type senders struct {
	mu      sync.Mutex
	foreign map[senderKey]bool
}

type senderKey struct {
	proto string
	port  uint16
}

// foreign reports a datagram (proto "udp") or connection ("tcp") from
// addr that a process other than the checked program sent.
func (s *session) foreign(proto string, addr net.Addr) bool {
	uid := programUID(s.proc)
	if uid < 0 || addr == nil || !proc.OthersRunning() {
		// (Reading the socket tables costs milliseconds when they are
		// long: only paid while another program runs.)
		return false
	}
	var ap netip.AddrPort
	switch a := addr.(type) {
	case *net.UDPAddr:
		ap = a.AddrPort()
	case *net.TCPAddr:
		ap = a.AddrPort()
	default:
		return false
	}
	key := senderKey{proto, ap.Port()}
	s.senders.mu.Lock()
	defer s.senders.mu.Unlock()
	if f, ok := s.senders.foreign[key]; ok {
		return f
	}
	mine, foreign := ownedBy(proto, ap, uid)
	if mine || foreign {
		if s.senders.foreign == nil {
			s.senders.foreign = map[senderKey]bool{}
		}
		s.senders.foreign[key] = foreign && !mine
	}
	return foreign && !mine
}

func programUID(p *proc.Process) int {
	if p == nil {
		return -1
	}
	return p.UID()
}
