package lessons

import (
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// The kernel's socket tables (/proc/net/tcp, udp and their IPv6 twins)
// name each socket's owner: the uid column, the eighth field (proc(5)).
// Two people on one machine are told apart by it.

// portHolders returns the uids owning a socket whose local port is port,
// TCP or UDP, IPv4 or IPv6. known is false when no table could be read.
func portHolders(port uint16) (uids []int, known bool) {
	suffix := ":" + strings.ToUpper(strconv.FormatUint(uint64(port)|0x10000, 16)[1:])
	for _, file := range []string{"/proc/net/tcp", "/proc/net/tcp6", "/proc/net/udp", "/proc/net/udp6"} {
		data, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		known = true
		for _, line := range strings.Split(string(data), "\n")[1:] {
			f := strings.Fields(line)
			if len(f) < 8 || !strings.HasSuffix(strings.ToUpper(f[1]), suffix) {
				continue
			}
			if uid, err := strconv.Atoi(f[7]); err == nil {
				uids = append(uids, uid)
			}
		}
	}
	return uids, known
}

// tcpOwner returns the uid owning the TCP socket whose local address is
// local and whose peer is remote: the other end of a connection accepted
// here, looked up from our side's remote and local addresses.
func tcpOwner(local, remote netip.AddrPort) (int, bool) {
	want := procAddr(local) + " " + procAddr(remote)
	want6 := procAddr(netip.AddrPortFrom(netip.AddrFrom16(local.Addr().As16()), local.Port())) + " " +
		procAddr(netip.AddrPortFrom(netip.AddrFrom16(remote.Addr().As16()), remote.Port()))
	for _, file := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		data, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n")[1:] {
			f := strings.Fields(line)
			if len(f) < 8 {
				continue
			}
			pair := strings.ToUpper(f[1] + " " + f[2])
			if pair != want && pair != want6 {
				continue
			}
			if uid, err := strconv.Atoi(f[7]); err == nil {
				return uid, true
			}
		}
	}
	return 0, false
}
