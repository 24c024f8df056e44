// Package sockettest holds what the tests of several packages need about
// real sockets: a free loopback port, and the descriptors this process
// holds (to check that a lesson, an experiment or a checked program left
// none behind). Like the standard library's net/internal/socktest, it is
// for tests only.
package sockettest

import (
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// FreePort returns a loopback port that is free for both UDP and TCP right
// now, so that tests in parallel never fight over 7788 or each other's
// ports.
func FreePort(t testing.TB) int {
	t.Helper()
	for range 50 {
		l, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.LocalAddr().(*net.UDPAddr).Port
		tl, err := net.Listen("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		l.Close()
		if err == nil {
			tl.Close()
			return port
		}
	}
	t.Fatal("no free port found")
	return 0
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
