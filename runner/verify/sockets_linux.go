package verify

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"github.com/sockstep/sockstep/runner/verify/proc"
)

// procSocket is one line of /proc/net/{tcp,udp}{,6}.
type procSocket struct {
	proto string // "tcp" or "udp"
	local netip.AddrPort
	state int // kernel TCP state; 10 is LISTEN, 7 is an unconnected UDP socket
	inode string
	uid   int // the socket's owner
}

const tcpListen = 10

// readProcNet parses the kernel's socket tables. They list every socket of
// this network namespace, so this works for programs in any language.
func readProcNet(proto string) []procSocket {
	var out []procSocket
	for _, file := range []string{proto, proto + "6"} {
		f, err := os.Open("/proc/net/" + file)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Scan() // header
		for sc.Scan() {
			fld := strings.Fields(sc.Text())
			if len(fld) < 10 {
				continue
			}
			ap, ok := parseProcAddr(fld[1])
			if !ok {
				continue
			}
			st, _ := strconv.ParseInt(fld[3], 16, 32)
			uid, err := strconv.Atoi(fld[7])
			if err != nil {
				uid = -1
			}
			out = append(out, procSocket{proto: proto, local: ap, state: int(st), inode: fld[9], uid: uid})
		}
		f.Close()
	}
	return out
}

// parseProcAddr reads "0100007F:1E61" (IPv4) or the 32-digit IPv6 form;
// the address is written as 32-bit words in host (little-endian) order.
func parseProcAddr(s string) (netip.AddrPort, bool) {
	a, p, ok := strings.Cut(s, ":")
	if !ok {
		return netip.AddrPort{}, false
	}
	port, err := strconv.ParseUint(p, 16, 16)
	if err != nil {
		return netip.AddrPort{}, false
	}
	raw, err := hex.DecodeString(a)
	if err != nil || (len(raw) != 4 && len(raw) != 16) {
		return netip.AddrPort{}, false
	}
	for i := 0; i < len(raw); i += 4 {
		raw[i], raw[i+1], raw[i+2], raw[i+3] = raw[i+3], raw[i+2], raw[i+1], raw[i]
	}
	addr, _ := netip.AddrFromSlice(raw)
	return netip.AddrPortFrom(addr.Unmap(), uint16(port)), true
}

// udpBound reports whether some UDP socket is bound to port, at an
// address where verify's datagram reaches it (reaches). It tells verify
// that a receiver is ready without sending it anything, since a datagram
// sent too early is simply lost.
func udpBound(port int) (bool, bool) {
	for _, s := range readProcNet("udp") {
		if int(s.local.Port()) == port && reaches(s.local.Addr()) {
			return true, true
		}
	}
	return false, true
}

// groupSockets lists the addresses the program's processes have bound
// (UDP) or listen on (TCP), such as "tcp 0.0.0.0:7788", to show a learner
// which port the program really used.
func groupSockets(pgid int) []string {
	inodes := map[string]bool{}
	for _, pid := range proc.Members(pgid) {
		dir := fmt.Sprintf("/proc/%d/fd", pid)
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range ents {
			link, err := os.Readlink(dir + "/" + e.Name())
			if err == nil && strings.HasPrefix(link, "socket:[") {
				inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] = true
			}
		}
	}
	var out []string
	for _, proto := range []string{"tcp", "udp"} {
		for _, s := range readProcNet(proto) {
			if !inodes[s.inode] || s.local.Port() == 0 || (proto == "tcp" && s.state != tcpListen) {
				continue
			}
			out = append(out, proto+" "+s.local.String())
		}
	}
	return out
}

// tcpListening reports whether some TCP socket listens on port, and
// whether the table could be read at all.
func tcpListening(port int) (listening, known bool) {
	for _, s := range readProcNet("tcp") {
		if int(s.local.Port()) == port && s.state == tcpListen {
			return true, true
		}
	}
	return false, true
}

// ownedBy reports who holds the loopback socket that a datagram or a
// connection came from (sender.go): mine when a socket bound to from's port (on its
// address or on any) belongs to uid, foreign when such sockets exist and
// none does; neither when none exists any more (the program closed it and
// exited: then it is taken as the program's).
func ownedBy(proto string, from netip.AddrPort, uid int) (mine, foreign bool) {
	from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
	for _, sk := range readProcNet(proto) {
		if sk.local.Port() != from.Port() || (sk.local.Addr() != from.Addr() && !sk.local.Addr().IsUnspecified()) {
			continue
		}
		if sk.inode == "0" {
			// Closed, held by the kernel only (TIME_WAIT, an orphaned
			// FIN_WAIT, tcp(7)): its uid column no longer names the owner.
			continue
		}
		if sk.uid == uid {
			return true, false
		}
		foreign = true
	}
	return false, foreign
}
