//go:build linux

package lessons

import (
	"bufio"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// tcpStates are the kernel's TCP state numbers (include/net/tcp_states.h),
// shared by TCP_INFO and /proc/net/tcp.
var tcpStates = map[int]string{
	1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1",
	5: "FIN_WAIT2", 6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT",
	9: "LAST_ACK", 10: "LISTEN", 11: "CLOSING", 12: "NEW_SYN_RECV",
}

// kernelDetails fills the state and queue lengths from TCP_INFO and the
// SIOCINQ/SIOCOUTQ ioctls.
func kernelDetails(k *Socket, f *Facts) bool {
	if k.Proto == TCP {
		info, err := unix.GetsockoptTCPInfo(k.FD, unix.IPPROTO_TCP, unix.TCP_INFO)
		if err == nil {
			f.State = tcpStates[int(info.State)]
			if info.State == 7 {
				// TCP_CLOSE: a fresh socket, or one whose connection ended.
				f.State = "CLOSED"
				// When the connection went to TIME_WAIT while the
				// descriptor is still open, the kernel moved it to a
				// separate, smaller record: the socket says CLOSE, the
				// connection table says TIME_WAIT.
				if k.Remote.IsValid() && k.Local.IsValid() {
					if st, unknown := closedTCPState(k.Family, k.Local, k.Remote); !unknown && st != "" {
						f.State = st
					}
				}
			}
			if f.State == "LISTEN" {
				// On a listening socket Linux reports the accept queue in
				// tcpi_unacked and the backlog in tcpi_sacked.
				f.AcceptQ = int(info.Unacked)
				f.Backlog = int(info.Sacked)
				return true
			}
		}
	}
	if n, err := unix.IoctlGetInt(k.FD, unix.SIOCINQ); err == nil {
		f.RecvQ = n
	}
	if n, err := unix.IoctlGetInt(k.FD, unix.SIOCOUTQ); err == nil {
		f.SendQ = n
	}
	if k.Proto == TCP {
		f.Unsent = unsentQueue(k.FD)
	}
	return true
}

// closedTCPState looks a closed socket's connection up in the kernel's
// table (/proc/net/tcp or tcp6): a descriptor is gone after close, but the
// connection may live on, in TIME_WAIT for instance.
func closedTCPState(family int, local, remote netip.AddrPort) (string, bool) {
	file := "/proc/net/tcp"
	if family == unix.AF_INET6 {
		// An IPv6 socket lists even IPv4 peers in tcp6, as ::ffff:a.b.c.d.
		file = "/proc/net/tcp6"
		local = netip.AddrPortFrom(netip.AddrFrom16(local.Addr().As16()), local.Port())
		remote = netip.AddrPortFrom(netip.AddrFrom16(remote.Addr().As16()), remote.Port())
	}
	st, err := procTCPState(file, local, remote)
	if err != nil {
		return "", true
	}
	return st, false
}

func procTCPState(file string, local, remote netip.AddrPort) (string, error) {
	fh, err := os.Open(file)
	if err != nil {
		return "", err
	}
	defer fh.Close()
	want := procAddr(local) + " " + procAddr(remote)
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 {
			continue
		}
		if strings.EqualFold(fields[1]+" "+fields[2], want) {
			n, err := strconv.ParseUint(fields[3], 16, 8)
			if err != nil {
				return "", err
			}
			return tcpStates[int(n)], nil
		}
	}
	return "", sc.Err()
}

// procAddr writes an address the way /proc/net/tcp does: the address as
// host-order 32-bit words in hex, then the port in hex.
func procAddr(ap netip.AddrPort) string {
	var b strings.Builder
	if ap.Addr().Is4() {
		a := ap.Addr().As4()
		fmt.Fprintf(&b, "%02X%02X%02X%02X", a[3], a[2], a[1], a[0])
	} else {
		a := ap.Addr().As16()
		for i := 0; i < 16; i += 4 {
			fmt.Fprintf(&b, "%02X%02X%02X%02X", a[i+3], a[i+2], a[i+1], a[i])
		}
	}
	fmt.Fprintf(&b, ":%04X", ap.Port())
	return b.String()
}

// waitAcked waits up to limit for every byte sent on fd to be
// acknowledged (SIOCOUTQ reaches 0) and reports whether it was.
func waitAcked(fd int, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for {
		n, err := unix.IoctlGetInt(fd, unix.SIOCOUTQ)
		if err != nil {
			return false
		}
		if n == 0 {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// listeningOn reports whether a socket of this machine is bound to addr's
// port in state st ("0A" LISTEN in tcp, "07" for a bound UDP socket),
// at addr itself or at the wildcard address. known is false when the
// kernel's tables cannot be read.
func listeningOn(proto Proto, addr netip.AddrPort) (found, known bool) {
	files := []string{"/proc/net/tcp", "/proc/net/tcp6"}
	st := "0A"
	if proto == UDP {
		files = []string{"/proc/net/udp", "/proc/net/udp6"}
		st = "07"
	}
	wants := map[string]bool{}
	for _, a := range []netip.Addr{addr.Addr(), netip.IPv4Unspecified(), netip.IPv6Unspecified(),
		netip.AddrFrom16(addr.Addr().As16())} {
		wants[procAddr(netip.AddrPortFrom(a, addr.Port()))] = true
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		known = true
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Fields(line)
			if len(f) > 3 && f[3] == st && wants[strings.ToUpper(f[1])] {
				return true, true
			}
		}
	}
	return false, known
}

// tcpState is a live TCP socket's state, from TCP_INFO ("" if unknown).
func tcpState(fd int) string {
	info, err := unix.GetsockoptTCPInfo(fd, unix.IPPROTO_TCP, unix.TCP_INFO)
	if err != nil {
		return ""
	}
	if info.State == 7 {
		return "CLOSED"
	}
	return tcpStates[int(info.State)]
}

// acceptQueue is a listening socket's accept queue length (-1 if unknown).
func acceptQueue(fd int) int {
	info, err := unix.GetsockoptTCPInfo(fd, unix.IPPROTO_TCP, unix.TCP_INFO)
	if err != nil {
		return -1
	}
	return int(info.Unacked)
}

// inQueue is the bytes waiting to be read on fd (SIOCINQ), outQueue the
// whole send queue (SIOCOUTQ): bytes not yet sent plus bytes sent and not
// yet acknowledged, write_seq - snd_una in net/ipv4/tcp.c tcp_ioctl
// ("output queue size (not sent + not acked)", include/uapi/linux/
// sockios.h; tcp(7)'s "Ioctls" calls it only "unsent data"); -1 if
// unknown. TestClaimSendQueueOnZeroWindowIsUnsent checks it.
func inQueue(fd int) int  { return ioctlInt(fd, unix.SIOCINQ) }
func outQueue(fd int) int { return ioctlInt(fd, unix.SIOCOUTQ) }

// unsentQueue is the part of the send queue not sent even once
// (SIOCOUTQNSD, write_seq - snd_nxt, kernel commit 2f4e1b397097, Linux
// 2.6.39); SIOCOUTQ also counts bytes sent and not yet acknowledged.
func unsentQueue(fd int) int { return ioctlInt(fd, unix.SIOCOUTQNSD) }

func ioctlInt(fd int, req uint) int {
	n, err := unix.IoctlGetInt(fd, req)
	if err != nil {
		return -1
	}
	return n
}

// udpSocketDrops is the drop counter of the UDP socket bound to addr, the
// last column of /proc/net/udp (-1 if not found).
func udpSocketDrops(addr netip.AddrPort) int {
	data, err := os.ReadFile("/proc/net/udp")
	if err != nil {
		return -1
	}
	want := procAddr(addr)
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) > 12 && strings.EqualFold(f[1], want) {
			if n, err := strconv.Atoi(f[len(f)-1]); err == nil {
				return n
			}
		}
	}
	return -1
}

// udpRcvbufErrors is the machine's count of UDP datagrams dropped for a
// full receive buffer (Udp: RcvbufErrors in /proc/net/snmp), -1 if unknown.
func udpRcvbufErrors() int {
	data, err := os.ReadFile("/proc/net/snmp")
	if err != nil {
		return -1
	}
	var head []string
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "Udp: ") {
			continue
		}
		f := strings.Fields(line)
		if head == nil {
			head = f
			continue
		}
		for i, name := range head {
			if name == "RcvbufErrors" && i < len(f) {
				if n, err := strconv.Atoi(f[i]); err == nil {
					return n
				}
			}
		}
	}
	return -1
}
