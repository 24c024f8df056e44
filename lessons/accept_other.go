//go:build !linux

package lessons

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// acceptFD accepts and sets close-on-exec under the fork lock, as the net
// package does where accept4 does not exist.
func acceptFD(fd int) (int, unix.Sockaddr, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	nfd, sa, err := unix.Accept(fd)
	if err == nil {
		unix.CloseOnExec(nfd)
	}
	return nfd, sa, err
}
