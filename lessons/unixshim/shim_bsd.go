//go:build !linux && !windows

package unixshim

import "golang.org/x/sys/unix"

// SO_BINDTODEVICE is Linux's (socket(7)); macOS and the BSDs have no such
// option (IP_BOUND_IF is macOS's nearest), so setting it fails with
// ENOPROTOOPT and the lesson says so, rather than binding beyond loopback.
const SO_BINDTODEVICE = -1

func SetsockoptString(fd, level, opt int, s string) error {
	if opt == SO_BINDTODEVICE {
		return unix.ENOPROTOOPT
	}
	return unix.SetsockoptString(fd, level, opt, s)
}
