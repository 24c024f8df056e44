package lessons

import (
	"os"

	"golang.org/x/sys/unix"
)

// bindToLoopback ties fd to the loopback device (SO_BINDTODEVICE,
// socket(7); no privilege needed since Linux 5.7): a socket bound to the
// any-address then still takes connections to 127.0.0.1 and ::1, and none
// from another machine.
func bindToLoopback(fd int) error {
	return os.NewSyscallError("setsockopt(SO_BINDTODEVICE)", unix.SetsockoptString(fd, unix.SOL_SOCKET, unix.SO_BINDTODEVICE, "lo"))
}
