// Package sockettest holds what the tests of several packages need about
// real sockets: a free loopback port, and the descriptors this process
// holds (to check that a lesson, an experiment or a checked program left
// none behind). Like the standard library's net/internal/socktest, it is
// for tests only; it lives under lessons/ rather than in an internal/
// folder because the tests of runner and of the command need it too, and
// the top level holds only the project's own folders (design.md).
package sockettest

import (
	"math/rand/v2"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// FreePort returns a loopback port that is free for both UDP and TCP right
// now, so that tests in parallel never fight over 7788 or each other's
// ports.
//
// The port is taken below the kernel's ephemeral range
// (ip_local_port_range, ip(7)): a port from that range, even one that was
// free a moment ago, can be given at any time to another test's connect
// or unbound sendto as its source port, and the test that asked for it
// then fails with EADDRINUSE. Below the range only an explicit bind takes
// a port. Each port is handed out once per process; test binaries of
// other packages draw from the same range at random.
func FreePort(t testing.TB) int {
	t.Helper()
	lo, hi := candidateRange()
	for i := 0; i < 200 && hi > lo; i++ {
		port := lo + rand.IntN(hi-lo)
		if !claim(port) {
			continue
		}
		if free(port) {
			return port
		}
	}
	// A machine whose ephemeral range leaves no room below it: ask the
	// kernel for a port, as the range's own users do.
	for range 50 {
		l, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.LocalAddr().(*net.UDPAddr).Port
		l.Close()
		if claim(port) && free(port) {
			return port
		}
	}
	t.Fatal("no free port found")
	return 0
}

var (
	claimedMu sync.Mutex
	claimed   = map[int]bool{}
)

// claim records port as handed out and reports whether it was not yet.
func claim(port int) bool {
	claimedMu.Lock()
	defer claimedMu.Unlock()
	if claimed[port] {
		return false
	}
	claimed[port] = true
	return true
}

// free reports whether nothing holds port on 127.0.0.1, TCP or UDP.
func free(port int) bool {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	u, err := net.ListenPacket("udp4", addr)
	if err != nil {
		return false
	}
	defer u.Close()
	l, err := net.Listen("tcp4", addr)
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// candidateRange is where FreePort looks: the ports just below the
// ephemeral range's start and above the per-user lesson ports of
// lessons.UserPort (17000–26999), so 27000–32767 by default; on a machine
// whose range starts lower, up to 8,000 ports below it.
func candidateRange() (lo, hi int) {
	start := 32768
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil {
				start = n
			}
		}
	}
	lo = max(start-8000, 27000)
	if start-lo < 2000 {
		lo = max(start-8000, 1024)
	}
	if start-lo < 500 {
		return 1024, 1024 // no room: FreePort falls back to the kernel
	}
	return lo, start
}

// FDs counts this process's open descriptors, of every kind. Where there
// is no /proc/self/fd, the test is skipped.
func FDs(t testing.TB) int {
	t.Helper()
	return len(fds(t, ""))
}

// Sockets lists this process's open socket descriptors, sorted, each as
// "FD→socket:[INODE]".
func Sockets(t testing.TB) []string {
	t.Helper()
	return fds(t, "socket:")
}

func fds(t testing.TB, prefix string) []string {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd on this system to count descriptors: %v", err)
	}
	var out []string
	for _, e := range ents {
		if l, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && strings.HasPrefix(l, prefix) {
			out = append(out, e.Name()+"→"+l)
		}
	}
	slices.Sort(out)
	return out
}
