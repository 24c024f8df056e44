//go:build linux

package lessons

// The lessons' claims about the Linux kernel, each checked against the
// kernel itself (issue 10: "every claim a lesson makes is true on Linux and
// checked by a test against the kernel or a named reference"). Each test
// names the lesson sentence it stands behind.

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// claimListener is a TCP listener on 127.0.0.1 with a kernel-chosen port.
func claimListener(t *testing.T, backlog int, opts ...func(fd int)) (int, netip.AddrPort) {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	for _, o := range opts {
		o(fd)
	}
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(fd, backlog); err != nil {
		t.Fatal(err)
	}
	return fd, localOf(t, fd)
}

// claimDial connects a new TCP socket to addr and returns it.
func claimDial(t *testing.T, addr netip.AddrPort) int {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.Connect(fd, &unix.SockaddrInet4{Addr: addr.Addr().As4(), Port: int(addr.Port())}); err != nil {
		t.Fatal(err)
	}
	return fd
}

func localOf(t *testing.T, fd int) netip.AddrPort {
	t.Helper()
	sa, err := unix.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	ap, ok := addrPort(sa)
	if !ok {
		t.Fatalf("getsockname: %v", sa)
	}
	return ap
}

// within polls cond for up to two seconds: the kernel's answer to a packet
// on loopback comes in a softirq, a moment after the call returns. It
// bounds the wait; it does not assert a time.
func within(cond func() bool) bool {
	for end := time.Now().Add(2 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// flow-control, the facts panel: SIOCOUTQ is the whole send queue, bytes
// not yet sent plus bytes sent and not yet acknowledged; SIOCOUTQNSD the
// part never sent (net/ipv4/tcp.c tcp_ioctl: write_seq - snd_una and
// write_seq - snd_nxt; include/uapi/linux/sockios.h; tcp(7)'s "Ioctls"
// says only "unsent data" for SIOCOUTQ, which this test shows is the
// special case). With the receiver's window closed,
// every byte sent has been acknowledged and the rest cannot go out: the two
// are equal, so labelling SIOCOUTQ "sent, not yet acknowledged" was wrong.
func TestClaimSendQueueOnZeroWindowIsUnsent(t *testing.T) {
	lfd, addr := claimListener(t, 1, func(fd int) {
		unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, 4096)
	})
	c := claimDial(t, addr)
	unix.SetsockoptInt(c, unix.SOL_SOCKET, unix.SO_SNDBUF, 16<<10)
	srv, _, err := unix.Accept4(lfd, unix.SOCK_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(srv)
	if err := unix.SetNonblock(c, true); err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1024)
	sent := 0
	for full := false; !full; {
		_, err := unix.Write(c, chunk)
		switch {
		case errors.Is(err, unix.EAGAIN):
			// The send buffer is full; once the receiver's window is
			// closed too, nothing moves any more.
			full = !within(func() bool {
				fds := []unix.PollFd{{Fd: int32(c), Events: unix.POLLOUT}}
				n, _ := unix.Poll(fds, 50)
				return n > 0
			})
		case err != nil:
			t.Fatal(err)
		default:
			sent += len(chunk)
			if sent > 16<<20 {
				t.Fatal("16 MiB went in and the window never closed")
			}
		}
	}
	var outq, unsent int
	settled := within(func() bool {
		outq, unsent = outQueue(c), unsentQueue(c)
		return outq > 0 && outq == unsent
	})
	if !settled {
		t.Fatalf("zero window: SIOCOUTQ %d, SIOCOUTQNSD %d; want them equal and > 0", outq, unsent)
	}
	if in := inQueue(srv); in <= 0 || in+outq != sent {
		t.Errorf("receiver holds %d bytes and sender %d: want the %d bytes written, all in one queue or the other", in, outq, sent)
	}
}

// tcp-client, tcp-states: connect returns once the client has sent the
// last ACK; the server's end becomes ESTABLISHED only when that ACK is
// taken, and with a full accept queue Linux drops it, so the server's end
// stays in SYN_RECV while the client is ESTABLISHED.
//
// On loopback the ACK follows the SYN-ACK at once, so the test holds it
// back with TCP_DEFER_ACCEPT (tcp(7)): the listener ignores a bare ACK and
// completes the handshake with the client's first data segment, the same
// step (tcp_check_req, then syn_recv_sock) that checks the accept queue.
func TestClaimFullAcceptQueueLeavesServerInSynRecv(t *testing.T) {
	lfd, addr := claimListener(t, 0, func(fd int) {
		if err := unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_DEFER_ACCEPT, 30); err != nil {
			t.Fatal(err)
		}
	})
	late := claimDial(t, addr) // handshake done on its side, not yet on the server's
	if st := tcpState(late); st != "ESTABLISHED" {
		t.Fatalf("client after connect: %s, want ESTABLISHED", st)
	}
	lateAddr := localOf(t, late)
	if st := serverSide(t, addr, lateAddr); st != "SYN_RECV" {
		t.Fatalf("server's end before any data: %q, want SYN_RECV", st)
	}
	// A second client completes its handshake with data and fills the
	// queue (backlog 0: Linux queues backlog+1 = 1 connection).
	first := claimDial(t, addr)
	if _, err := unix.Write(first, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if !within(func() bool { return acceptQueue(lfd) == 1 }) {
		t.Fatalf("accept queue: %d, want 1", acceptQueue(lfd))
	}
	overflows := listenOverflows(t)
	if _, err := unix.Write(late, []byte("y")); err != nil {
		t.Fatal(err)
	}
	if !within(func() bool { return listenOverflows(t) > overflows }) {
		t.Fatal("the kernel did not count a listen overflow for the late client's ACK")
	}
	if st := serverSide(t, addr, lateAddr); st != "SYN_RECV" {
		t.Errorf("server's end after its ACK met a full queue: %q, want SYN_RECV", st)
	}
	if st := tcpState(late); st != "ESTABLISHED" {
		t.Errorf("client: %s, want ESTABLISHED (its connect returned 0)", st)
	}
	if q := acceptQueue(lfd); q != 1 {
		t.Errorf("accept queue: %d, want 1", q)
	}
}

// serverSide is the state of the server's end of the connection from
// client, as /proc/net/tcp lists it (a half-open connection is listed
// there too, as SYN_RECV).
func serverSide(t *testing.T, server, client netip.AddrPort) string {
	t.Helper()
	st, err := procTCPState("/proc/net/tcp", server, client)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// listenOverflows is the kernel's ListenOverflows counter (/proc/net/netstat).
func listenOverflows(t *testing.T) int {
	t.Helper()
	n, ok := netstatCounter(t, "TcpExt:", "ListenOverflows")
	if !ok {
		t.Fatal("no ListenOverflows in /proc/net/netstat")
	}
	return n
}

func netstatCounter(t *testing.T, table, name string) (int, bool) {
	t.Helper()
	data, err := os.ReadFile("/proc/net/netstat")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	for i := 0; i+1 < len(lines); i++ {
		names, values := strings.Fields(lines[i]), strings.Fields(lines[i+1])
		if len(names) == 0 || names[0] != table || len(values) != len(names) {
			continue
		}
		for j, n := range names {
			if n == name {
				v, err := strconv.Atoi(values[j])
				return v, err == nil
			}
		}
	}
	return 0, false
}

// refused, tcp-client, the ECONNREFUSED text: an ICMP port-unreachable
// message is reported to a connected UDP socket, and to an unconnected one
// only when it asked with IP_RECVERR; a plain unconnected socket hears
// nothing (udp(7), ip(7) IP_RECVERR; UNP §8.9). The closed port is the
// lessons' own (closedPort), above ip_local_port_range: a port the kernel
// handed out and took back could be another test's next source port.
func TestClaimICMPRefusedOnlyOnConnectedUDP(t *testing.T) {
	closed, err := closedPort(netip.MustParseAddr("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	to := &unix.SockaddrInet4{Addr: closed.Addr().As4(), Port: int(closed.Port())}
	udp := func(setup func(fd int)) int {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { unix.Close(fd) })
		if setup != nil {
			setup(fd)
		}
		return fd
	}
	plain := udp(nil)
	recverr := udp(func(fd int) {
		if err := unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_RECVERR, 1); err != nil {
			t.Fatal(err)
		}
	})
	conn := udp(func(fd int) {
		if err := unix.Connect(fd, to); err != nil {
			t.Fatal(err)
		}
	})
	for _, fd := range []int{plain, recverr} {
		if err := unix.Sendto(fd, []byte("anyone there?"), 0, to); err != nil {
			t.Fatalf("sendto a closed port failed at once: %v (it should succeed)", err)
		}
	}
	if _, err := unix.Write(conn, []byte("anyone there?")); err != nil {
		t.Fatalf("send on the connected socket failed at once: %v (it should succeed)", err)
	}
	buf := make([]byte, 64)
	recvErr := func(fd int) error {
		_, _, err := unix.Recvfrom(fd, buf, 0)
		return err
	}
	// The connected socket was written last: once its error is in, the
	// ICMP messages for the other two have been handled as well.
	var got error
	if !within(func() bool { got = recvErr(conn); return !errors.Is(got, unix.EAGAIN) }) {
		t.Fatal("the connected socket never heard of the ICMP error")
	}
	if !errors.Is(got, unix.ECONNREFUSED) {
		t.Errorf("connected UDP socket: recv returned %v, want ECONNREFUSED", got)
	}
	if err := recvErr(recverr); !errors.Is(err, unix.ECONNREFUSED) {
		t.Errorf("unconnected socket with IP_RECVERR: recvfrom returned %v, want ECONNREFUSED", err)
	}
	if err := recvErr(plain); !errors.Is(err, unix.EAGAIN) {
		t.Errorf("plain unconnected socket: recvfrom returned %v, want EAGAIN (no error reported)", err)
	}
	if n, err := unix.GetsockoptInt(plain, unix.SOL_SOCKET, unix.SO_ERROR); err != nil || n != 0 {
		t.Errorf("plain unconnected socket: SO_ERROR %d (%v), want 0", n, err)
	}
}

// connected-udp: connect on an unbound UDP socket records the peer and
// gives the socket a local address and port (net/ipv4/af_inet.c
// inet_dgram_connect, inet_autobind; __ip4_datagram_connect takes the
// source address from the route, UNP §8.14): getsockname reads 0.0.0.0:0
// before and 127.0.0.1 with a port from ip_local_port_range after
// (ip(7)), and getpeername names the peer.
func TestClaimUDPConnectBindsUnboundSocket(t *testing.T) {
	peer, err := closedPort(netip.MustParseAddr("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	name := func() netip.AddrPort {
		sa, err := unix.Getsockname(fd)
		if err != nil {
			t.Fatal(err)
		}
		ap, _ := addrPort(sa)
		return ap
	}
	if before := name(); before.Port() != 0 || !before.Addr().IsUnspecified() {
		t.Fatalf("a new UDP socket: %s, want 0.0.0.0:0", before)
	}
	if err := unix.Connect(fd, &unix.SockaddrInet4{Addr: peer.Addr().As4(), Port: int(peer.Port())}); err != nil {
		t.Fatal(err)
	}
	after := name()
	low, high, ok := ephemeralRange()
	if after.Addr() != peer.Addr() || !ok || int(after.Port()) < low || int(after.Port()) > high {
		t.Errorf("after connect: %s, want 127.0.0.1 and a port in %d–%d", after, low, high)
	}
	sa, err := unix.Getpeername(fd)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := addrPort(sa); got != peer {
		t.Errorf("getpeername: %s, want %s", got, peer)
	}
}

// The ECONNREFUSED text (errno.ECONNREFUSED.udp): an unconnected UDP
// socket that turned on IP_RECVERR hears of the ICMP port unreachable too,
// on its next call, here its next sendto, which fails before sending;
// and the ICMP message itself waits in its error queue, read with
// MSG_ERRQUEUE as a sock_extended_err of origin SO_EE_ORIGIN_ICMP, type 3
// (destination unreachable) code 3 (port unreachable), named by the
// datagram's destination (ip(7) IP_RECVERR; udp(7) "Error handling";
// RFC 792). The closed port is closedPort's, as above.
func TestClaimIPRecvErrReportsToUnconnectedUDP(t *testing.T) {
	closed, err := closedPort(netip.MustParseAddr("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	to := &unix.SockaddrInet4{Addr: closed.Addr().As4(), Port: int(closed.Port())}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if err := unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_RECVERR, 1); err != nil {
		t.Fatal(err)
	}
	if err := unix.Sendto(fd, []byte("datagram 1"), 0, to); err != nil {
		t.Fatalf("first sendto to a closed port: %v, want success", err)
	}
	if !within(func() bool {
		pfd := []unix.PollFd{{Fd: int32(fd), Events: 0}}
		n, _ := unix.Poll(pfd, 0)
		return n == 1 && pfd[0].Revents&unix.POLLERR != 0
	}) {
		t.Fatal("the unconnected socket with IP_RECVERR never showed POLLERR")
	}
	if err := unix.Sendto(fd, []byte("datagram 2"), 0, to); !errors.Is(err, unix.ECONNREFUSED) {
		t.Errorf("next sendto: %v, want ECONNREFUSED", err)
	}
	buf, oob := make([]byte, 64), make([]byte, 256)
	n, oobn, _, from, err := unix.Recvmsg(fd, buf, oob, unix.MSG_ERRQUEUE)
	if err != nil {
		t.Fatalf("recvmsg(MSG_ERRQUEUE): %v", err)
	}
	if string(buf[:n]) != "datagram 1" {
		t.Errorf("the error queue returned %q, want the datagram that drew the ICMP", buf[:n])
	}
	if f, ok := from.(*unix.SockaddrInet4); !ok || f.Port != to.Port || f.Addr != to.Addr {
		t.Errorf("the error queue names %#v, want the closed port %s", from, closed)
	}
	msgs, err := unix.ParseSocketControlMessage(oob[:oobn])
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range msgs {
		if m.Header.Level != unix.IPPROTO_IP || m.Header.Type != unix.IP_RECVERR || len(m.Data) < int(unsafe.Sizeof(unix.SockExtendedErr{})) {
			continue
		}
		found = true
		ee := (*unix.SockExtendedErr)(unsafe.Pointer(&m.Data[0]))
		if unix.Errno(ee.Errno) != unix.ECONNREFUSED || ee.Origin != unix.SO_EE_ORIGIN_ICMP || ee.Type != 3 || ee.Code != 3 {
			t.Errorf("sock_extended_err %+v, want ECONNREFUSED from ICMP type 3 code 3", *ee)
		}
	}
	if !found {
		t.Errorf("no IP_RECVERR control message among %d", len(msgs))
	}
	// The pending error was reported once.
	if e, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR); err != nil || e != 0 {
		t.Errorf("SO_ERROR afterwards %d (%v), want 0", e, err)
	}
}

// tcp-client, tcp-server, tcp-states: TIME_WAIT falls on the side that
// sent the first FIN, and on Linux it lasts 60 seconds: TCP_TIMEWAIT_LEN,
// "(60*HZ) how long to wait to destroy TIME-WAIT state" in
// include/net/tcp.h; tcp(7) on tcp_fin_timeout and tcp_tw_reuse. The test
// reads the kernel's own TIME_WAIT timer from /proc/net/tcp (column
// tr:tm->when, in clock ticks of USER_HZ, 100 a second) right after the
// close and checks it against 60 s; it does not wait 60 s.
func TestClaimTimeWaitOnFirstCloserFor60s(t *testing.T) {
	lfd, addr := claimListener(t, 1)
	c := claimDial(t, addr)
	srv, _, err := unix.Accept4(lfd, unix.SOCK_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(srv)
	caddr := localOf(t, c)
	unix.Close(c) // the client sends the first FIN
	buf := make([]byte, 16)
	if n, err := unix.Read(srv, buf); n != 0 || err != nil {
		t.Fatalf("server read after the client's FIN: %d, %v; want 0, nil", n, err)
	}
	unix.Close(srv)
	var st string
	var left time.Duration
	if !within(func() bool {
		st, left = timeWaitTimer(t, caddr, addr)
		return st == "TIME_WAIT"
	}) {
		t.Fatalf("client's end after closing first: %q, want TIME_WAIT", st)
	}
	if left <= 0 || left > 60*time.Second || left < 30*time.Second {
		t.Errorf("TIME_WAIT timer: %v left right after the close; want at most 60 s (and well above 0)", left)
	}
	if st, _ := procTCPState("/proc/net/tcp", addr, caddr); st == "TIME_WAIT" {
		t.Errorf("the server's end, which closed second, is in TIME_WAIT too")
	}
}

// timeWaitTimer is the state of the connection local↔remote in
// /proc/net/tcp and the time its timer has left.
func timeWaitTimer(t *testing.T, local, remote netip.AddrPort) (string, time.Duration) {
	t.Helper()
	fh, err := os.Open("/proc/net/tcp")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	want := procAddr(local) + " " + procAddr(remote)
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 6 || !strings.EqualFold(f[1]+" "+f[2], want) {
			continue
		}
		st, _ := strconv.ParseUint(f[3], 16, 8)
		_, when, ok := strings.Cut(f[5], ":")
		ticks, err := strconv.ParseUint(when, 16, 64)
		if !ok || err != nil {
			t.Fatalf("timer column %q", f[5])
		}
		return tcpStates[int(st)], time.Duration(ticks) * 10 * time.Millisecond
	}
	return "", 0
}

// intro: when a program does not choose a port, Linux picks one from
// net.ipv4.ip_local_port_range (32768–60999 unless changed).
func TestClaimEphemeralPortFromLocalPortRange(t *testing.T) {
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(data))
	lo, _ := strconv.Atoi(f[0])
	hi, _ := strconv.Atoi(f[1])
	_, addr := claimListener(t, 8) // room for every client: none is accepted
	for i := 0; i < 5; i++ {
		p := int(localOf(t, claimDial(t, addr)).Port())
		if p < lo || p > hi {
			t.Errorf("connect picked port %d, outside ip_local_port_range %d–%d", p, lo, hi)
		}
	}
}

// tcp-server: Linux caps listen's backlog at net.core.somaxconn; the
// listening socket's TCP_INFO reports the backlog in effect (tcpi_sacked).
func TestClaimBacklogCappedBySomaxconn(t *testing.T) {
	data, err := os.ReadFile("/proc/sys/net/core/somaxconn")
	if err != nil {
		t.Fatal(err)
	}
	max, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	lfd, _ := claimListener(t, max*4)
	info, err := unix.GetsockoptTCPInfo(lfd, unix.IPPROTO_TCP, unix.TCP_INFO)
	if err != nil {
		t.Fatal(err)
	}
	if int(info.Sacked) != max {
		t.Errorf("listen(fd, %d): backlog in effect %d, want somaxconn %d", max*4, info.Sacked, max)
	}
}

// throughput: TCP on lo moves its stream in packets far larger than an
// Ethernet frame, up to 64 KiB: lo's MTU is 65,536 bytes (the kernel's
// default for the loopback device). The MSS it reports is smaller than the
// MTU allows (Linux bounds it by half the largest window seen), yet far
// above Ethernet's 1460.
func TestClaimLoopbackMTU(t *testing.T) {
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		t.Fatal(err)
	}
	if lo.MTU != 65536 {
		t.Errorf("lo MTU %d, want 65536 as the throughput lesson says", lo.MTU)
	}
	_, addr := claimListener(t, 1)
	c := claimDial(t, addr)
	mss, err := unix.GetsockoptInt(c, unix.IPPROTO_TCP, unix.TCP_MAXSEG)
	if err != nil {
		t.Fatal(err)
	}
	if mss <= 1460 || mss > 65536 {
		t.Errorf("TCP MSS on lo: %d, want above Ethernet's 1460 and at most 64 KiB", mss)
	}
}

// tcp-server, tcp-states: a FIN says only "I will send nothing more". A
// peer that shut down its sending side still reads what we send; a peer
// that closed its socket answers our data with a reset (RST), which our
// next call reports (tcp(7); RFC 9293 §3.10.7.4, data after close).
func TestClaimHalfCloseVersusClose(t *testing.T) {
	lfd, addr := claimListener(t, 2)
	accept := func() int {
		fd, _, err := unix.Accept4(lfd, unix.SOCK_CLOEXEC)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { unix.Close(fd) })
		return fd
	}
	buf := make([]byte, 64)

	half := claimDial(t, addr)
	conn := accept()
	if err := unix.Shutdown(half, unix.SHUT_WR); err != nil {
		t.Fatal(err)
	}
	if n, err := unix.Read(conn, buf); n != 0 || err != nil {
		t.Fatalf("server after the peer's FIN: %d, %v; want 0, nil", n, err)
	}
	if _, err := unix.Write(conn, []byte("one last thing")); err != nil {
		t.Fatalf("send after the peer's shutdown: %v", err)
	}
	if n, err := unix.Read(half, buf); err != nil || string(buf[:n]) != "one last thing" {
		t.Errorf("half-closed peer read %q, %v; want the server's line", buf[:n], err)
	}

	closed := claimDial(t, addr)
	conn2 := accept()
	unix.Close(closed)
	if n, err := unix.Read(conn2, buf); n != 0 || err != nil {
		t.Fatalf("server after the peer's FIN: %d, %v; want 0, nil", n, err)
	}
	if _, err := unix.Write(conn2, []byte("anyone?")); err != nil {
		t.Fatalf("the first send after the peer's close should still be taken: %v", err)
	}
	var err error
	if !within(func() bool {
		_, err = unix.Write(conn2, []byte("anyone?"))
		return err != nil
	}) {
		t.Fatal("sending to a closed peer never failed")
	}
	if !errors.Is(err, unix.ECONNRESET) && !errors.Is(err, unix.EPIPE) {
		t.Errorf("send after the peer's reset: %v, want ECONNRESET or EPIPE", err)
	}
}

// udp-send: the notes' `socket.NI_DGRAM` is Python's copy of glibc's
// NI_DGRAM (netdb.h, getnameinfo(3): "#define NI_DGRAM 16"), so Python
// asks the kernel for a socket of type 16, and socket(2) answers EINVAL
// (ERRORS: "Unknown protocol ... or invalid flags in type"). The value
// comes from the C header, which x/sys/unix does not carry; python3, where
// installed, confirms it.
func TestClaimNIDGRAMIsAnInvalidSocketType(t *testing.T) {
	const niDgram = 16
	if py, err := exec.LookPath("python3"); err == nil {
		out, err := exec.Command(py, "-c", "import socket; print(socket.NI_DGRAM)").Output()
		if err != nil || strings.TrimSpace(string(out)) != strconv.Itoa(niDgram) {
			t.Fatalf("python3 says socket.NI_DGRAM is %q (%v); the lesson says 16", out, err)
		}
	}
	fd, err := unix.Socket(unix.AF_INET, niDgram, 0)
	if err == nil {
		unix.Close(fd)
		t.Fatal("socket(AF_INET, 16, 0) succeeded; the lesson says it fails with EINVAL")
	}
	if !errors.Is(err, unix.EINVAL) {
		t.Fatalf("socket(AF_INET, 16, 0): %v; the lesson says EINVAL", err)
	}
}

// reset and the ECONNRESET text: a program that crashes does not by
// itself cause a reset. At exit, killed or not, the kernel closes every
// descriptor the process held (_exit(2): "Any open file descriptors
// belonging to the process are closed"), and closing a TCP socket with
// nothing unread sends an ordinary FIN (RFC 9293 §3.6, RFC 793 §3.5;
// net/ipv4/tcp.c tcp_close): the peer's recv returns 0. Only bytes left
// unread turn the close into a RST (tcp_close, "As outlined in RFC 2525,
// section 2.17"), and the peer's recv then fails with ECONNRESET. The
// child is this test binary, killed with SIGKILL, which no program can
// catch or clean up after.
func TestClaimKilledProcessClosesWithFIN(t *testing.T) {
	if addr := os.Getenv("SOCKSTEP_TEST_KILLED_CHILD"); addr != "" {
		claimDial(t, netip.MustParseAddrPort(addr))
		os.Stdout.WriteString("connected\n")
		time.Sleep(time.Minute) // until the parent kills it
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		unread bool
		want   error // nil: recv returns 0, the FIN
	}{
		{"nothing unread", false, nil},
		{"bytes left unread", true, unix.ECONNRESET},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lfd, addr := claimListener(t, 1)
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, exe, "-test.run=^TestClaimKilledProcessClosesWithFIN$")
			cmd.Env = append(os.Environ(), "SOCKSTEP_TEST_KILLED_CHILD="+addr.String())
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waited := false
			defer func() {
				if !waited {
					cmd.Process.Kill()
					cmd.Wait()
				}
			}()
			sc := bufio.NewScanner(out)
			for sc.Scan() && sc.Text() != "connected" {
			}
			if sc.Text() != "connected" {
				t.Fatal("the child never connected")
			}
			// connect has returned: the connection waits in the accept queue.
			conn, _, err := unix.Accept4(lfd, unix.SOCK_CLOEXEC)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { unix.Close(conn) })
			if err := unix.SetsockoptTimeval(conn, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &unix.Timeval{Sec: 5}); err != nil {
				t.Fatal(err)
			}
			if tc.unread {
				if _, err := unix.Write(conn, []byte("never read")); err != nil {
					t.Fatal(err)
				}
				// Acknowledged: the bytes wait in the child's receive queue.
				if !within(func() bool { return outQueue(conn) == 0 }) {
					t.Fatal("the child's kernel never acknowledged the bytes")
				}
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			err = cmd.Wait()
			waited = true
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("the child ended with %v, want killed by SIGKILL", err)
			}
			n, err := unix.Read(conn, make([]byte, 64))
			switch {
			case tc.want == nil && (n != 0 || err != nil):
				t.Errorf("peer of a killed process with nothing unread: recv = %d, %v; want 0 (its kernel sent a FIN)", n, err)
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Errorf("peer of a killed process that left bytes unread: recv = %d, %v; want %v (its kernel sent a RST)", n, err, tc.want)
			}
		})
	}
}

// intro and the EACCES text: on Linux a port below
// net.ipv4.ip_unprivileged_port_start needs the CAP_NET_BIND_SERVICE
// capability (capabilities(7); ip(7) "Address format" and ERRORS EACCES;
// Documentation/networking/ip-sysctl.rst, ip_unprivileged_port_start,
// "Default: 1024", kernel commit 4548b683b781, Linux 4.11); the port it
// names is free to everyone. The child runs as user nobody, with no
// capability, in a network namespace of its own: the kernel gives a new
// namespace the default 1024, whatever this machine's was set to (a
// container is often given 0), and a bind to the any-address there
// touches no other program's port.
func TestClaimLowPortNeedsCapability(t *testing.T) {
	if os.Getenv("SOCKSTEP_TEST_LOWPORT_CHILD") != "" {
		lowPortChild(t)
		return
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root to start a child as nobody in a network namespace of its own; CI runs as root")
	}
	rerunAsNobodyIn(t, "TestClaimLowPortNeedsCapability", "SOCKSTEP_TEST_LOWPORT_CHILD=1", syscall.CLONE_NEWNET)
}

// lowPortChild is TestClaimLowPortNeedsCapability's child, nobody in a
// fresh network namespace.
func lowPortChild(t *testing.T) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(status), "\nCapEff:\t0000000000000000\n") {
		t.Fatalf("the child should hold no capability:\n%s", status)
	}
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_unprivileged_port_start")
	if err != nil {
		t.Fatal(err)
	}
	start, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || start != 1024 {
		t.Fatalf("ip_unprivileged_port_start in a new namespace: %q, want the kernel's default 1024", b)
	}
	for _, typ := range []int{unix.SOCK_STREAM, unix.SOCK_DGRAM} {
		for _, c := range []struct {
			port int
			want error
		}{{start - 1, unix.EACCES}, {1, unix.EACCES}, {start, nil}} {
			fd, err := unix.Socket(unix.AF_INET, typ|unix.SOCK_CLOEXEC, 0)
			if err != nil {
				t.Fatal(err)
			}
			err = unix.Bind(fd, &unix.SockaddrInet4{Port: c.port})
			unix.Close(fd)
			if !errors.Is(err, c.want) && (c.want != nil || err != nil) {
				t.Errorf("socket type %d, bind 0.0.0.0:%d as nobody: %v, want %v", typ, c.port, err, c.want)
			}
		}
	}
}
