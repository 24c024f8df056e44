package unixshim

import "golang.org/x/sys/unix"

// SO_BINDTODEVICE ties a socket to one network device (socket(7)); Linux
// only.
const SO_BINDTODEVICE = unix.SO_BINDTODEVICE

func SetsockoptString(fd, level, opt int, s string) error {
	return unix.SetsockoptString(fd, level, opt, s)
}
