package verify

import (
	"strconv"
	"strings"
)

// wrongPort reports, while verify waits for the program to bind or listen
// on PORT, that it will not: the program's processes hold sockets bound
// (UDP) or listening (TCP) on other ports, and nothing of theirs is at
// PORT. The kernel's socket table says so at once, so a program that
// ignores the PORT argument is told in milliseconds rather than after the
// whole time limit. It must be seen on two successive polls, so that a
// program that binds a helper socket first is given its moment.
func wrongPort(s *session) bool {
	if s.obs.Reached || s.proc == nil {
		return false
	}
	socks := groupSockets(s.proc.Pgid())
	suffix := ":" + strconv.Itoa(s.port)
	other := len(socks) > 0
	for _, x := range socks {
		if strings.HasSuffix(x, suffix) {
			other = false
		}
	}
	if !other {
		s.obs.wrongSeen = 0
		return false
	}
	s.obs.wrongSeen++
	if s.obs.wrongSeen < 2 {
		return false
	}
	s.obs.WrongPort = true
	s.obs.OtherSockets = socks
	return true
}
