//go:build !linux

package lessons

import (
	"net/netip"
	"time"
)

// kernelDetails cannot read TCP state or queue lengths portably; the step
// says so instead of guessing.
func kernelDetails(k *Socket, f *Facts) bool { return false }

// closedTCPState has no portable source once the descriptor is gone.
func closedTCPState(family int, local, remote netip.AddrPort) (string, bool) { return "", true }

// waitAcked cannot see acknowledgements portably; the timeline then shows
// the data without its ACK rather than guessing.
func waitAcked(fd int, limit time.Duration) bool { return false }

// listeningOn cannot read the kernel's socket tables portably.
func listeningOn(proto Proto, addr netip.AddrPort) (found, known bool) { return false, false }

// tcpState and acceptQueue need TCP_INFO, which this system does not
// offer in Linux's form.
func tcpState(fd int) string { return "" }
func acceptQueue(fd int) int { return -1 }

// inQueue and outQueue need SIOCINQ and SIOCOUTQ.
func inQueue(fd int) int  { return -1 }
func outQueue(fd int) int { return -1 }

// unsentQueue needs SIOCOUTQNSD.
func unsentQueue(fd int) int { return -1 }

// udpSocketDrops and udpRcvbufErrors read Linux's /proc.
func udpSocketDrops(addr netip.AddrPort) int { return -1 }
func udpRcvbufErrors() int                   { return -1 }
