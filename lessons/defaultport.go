package lessons

import "os"

// DefaultPort is the port the source notes use.
const DefaultPort = 7788

// Per-user ports lie in 17000–26999: above the registered ports most
// services use here, and below Linux's ephemeral range (32768–60999,
// ip_local_port_range in ip(7)), so a client's automatic port never
// takes one.
const (
	userPortBase  = 17000
	userPortCount = 10000
)

// UserPort is the port derived from a user id, for a machine shared by
// several learners: each gets a number of their own.
func UserPort(uid int) int { return userPortBase + uid%userPortCount }

// ChooseDefaultPort returns the port a lesson uses when none was asked
// for: DefaultPort, unless a socket of another user of this machine
// holds it, and then UserPort of this user (shared reports true), so two
// people on one machine never become each other's callers. A socket of
// this user on DefaultPort (the other terminal of a two-terminal lesson)
// leaves the choice at DefaultPort, so both terminals agree.
func ChooseDefaultPort() (port int, shared bool) {
	return choosePort(DefaultPort, os.Getuid())
}

func choosePort(base, uid int) (port int, shared bool) {
	uids, _ := portHolders(uint16(base))
	for _, u := range uids {
		if u != uid {
			return UserPort(uid), true
		}
	}
	return base, false
}
