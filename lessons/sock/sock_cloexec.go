//go:build linux

package sock

import "golang.org/x/sys/unix"

// Socket is socket(2) with SOCK_CLOEXEC.
func Socket(family, typ, proto int) (int, error) {
	return unix.Socket(family, typ|unix.SOCK_CLOEXEC, proto)
}

// Accept is accept4(2) with SOCK_CLOEXEC.
func Accept(fd int) (int, unix.Sockaddr, error) {
	return unix.Accept4(fd, unix.SOCK_CLOEXEC)
}
