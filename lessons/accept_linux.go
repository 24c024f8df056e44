//go:build linux

package lessons

import "golang.org/x/sys/unix"

// acceptFD accepts with close-on-exec set atomically.
func acceptFD(fd int) (int, unix.Sockaddr, error) {
	return unix.Accept4(fd, unix.SOCK_CLOEXEC)
}
