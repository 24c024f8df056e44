//go:build !linux

package verify

import "net/netip"

// udpBound cannot tell on this system; the second result says so, and the
// caller falls back to a short pause.
func udpBound(port int) (bound, known bool) { return false, false }

func groupSockets(pgid int) []string { return nil }

func tcpListening(port int) (listening, known bool) { return false, false }

func ownedBy(proto string, from netip.AddrPort, uid int) (mine, foreign bool) { return false, false }
