//go:build unix

package verify

import (
	"os"
	"strconv"
	"strings"

	"github.com/sockstep/sockstep/lessons/sock"
	"golang.org/x/sys/unix"
)

// candidatePorts returns [lo, hi): ports below the ephemeral range, or a
// safe default when the range cannot be read.
func candidatePorts() (lo, hi int) {
	lo, hi = 10000, 30000
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return lo, hi
	}
	f := strings.Fields(string(data))
	if len(f) < 1 {
		return lo, hi
	}
	eph, err := strconv.Atoi(f[0])
	if err != nil || eph-lo < 1000 {
		return lo, hi
	}
	return lo, eph
}

// portFree reports whether both a TCP and a UDP socket can bind
// 127.0.0.1:port right now.
func portFree(port int) bool {
	for _, typ := range []int{unix.SOCK_STREAM, unix.SOCK_DGRAM} {
		// Close-on-exec from birth (internal/sock), so that a program
		// started at this moment by a parallel check cannot inherit the
		// probe (and find the port taken by it).
		fd, err := sock.Socket(unix.AF_INET, typ, 0)
		if err != nil {
			return false
		}
		err = unix.Bind(fd, &unix.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}})
		unix.Close(fd)
		if err != nil {
			return false
		}
	}
	return true
}
