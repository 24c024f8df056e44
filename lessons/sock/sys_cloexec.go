//go:build unix && !linux

package sock

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// Socket is socket(2), then FD_CLOEXEC, under the fork lock so that no
// process forked in between inherits the descriptor.
func Socket(family, typ, proto int) (int, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	fd, err := unix.Socket(family, typ, proto)
	if err == nil {
		unix.CloseOnExec(fd)
	}
	return fd, err
}

// Accept is accept(2), then FD_CLOEXEC, under the fork lock.
func Accept(fd int) (int, unix.Sockaddr, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	nfd, sa, err := unix.Accept(fd)
	if err == nil {
		unix.CloseOnExec(nfd)
	}
	return nfd, sa, err
}
