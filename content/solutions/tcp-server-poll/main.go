//go:build unix

// Command tcp-server-poll is the reference solution of the tcp-server-poll
// exercise.
//
//	go run ./content/solutions/tcp-server-poll HOST PORT
//
// It is an echo server that serves every client at once from one loop:
// poll(2) says which sockets are ready, and only those are read, so no
// call ever waits for one client while another is talking. (In Python:
// the selectors module; in C: poll or epoll.)
package main

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: tcp-server-poll HOST PORT")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "tcp-server-poll:", err)
		os.Exit(1)
	}
}

func listen(host, port string) (int, error) {
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return -1, fmt.Errorf("HOST %q is not an IP address", host)
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return -1, fmt.Errorf("PORT %q is not a number", port)
	}
	family := unix.AF_INET
	var sa unix.Sockaddr = &unix.SockaddrInet4{Addr: ip.Unmap().As4(), Port: p}
	if !ip.Unmap().Is4() {
		family, sa = unix.AF_INET6, &unix.SockaddrInet6{Addr: ip.As16(), Port: p}
	}
	fd, err := unix.Socket(family, unix.SOCK_STREAM, 0)
	if err != nil {
		return -1, err
	}
	unix.CloseOnExec(fd)
	if err := unix.Bind(fd, sa); err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("bind: %w", err)
	}
	if err := unix.Listen(fd, 16); err != nil {
		unix.Close(fd)
		return -1, fmt.Errorf("listen: %w", err)
	}
	return fd, nil
}

func run(host, port string) error {
	lfd, err := listen(host, port)
	if err != nil {
		return err
	}
	defer unix.Close(lfd)

	// One entry per socket to watch: the listener, then each client.
	fds := []unix.PollFd{{Fd: int32(lfd), Events: unix.POLLIN}}
	buf := make([]byte, 1024)
	for {
		// Wait, with no time limit, until at least one socket is ready.
		if _, err := unix.Poll(fds, -1); err != nil {
			if errors.Is(err, unix.EINTR) {
				continue
			}
			return fmt.Errorf("poll: %w", err)
		}
		var keep []unix.PollFd
		for _, p := range fds {
			fd := int(p.Fd)
			switch {
			case p.Revents == 0:
				keep = append(keep, p)
			case fd == lfd:
				// A client is waiting in the accept queue: accept
				// returns at once.
				keep = append(keep, p)
				c, _, err := unix.Accept(lfd)
				if err == nil {
					unix.CloseOnExec(c)
					keep = append(keep, unix.PollFd{Fd: int32(c), Events: unix.POLLIN})
				}
			default:
				// Readable: recv returns at once, with what has
				// arrived (0 when the client has closed).
				n, err := unix.Read(fd, buf)
				if n <= 0 || err != nil {
					unix.Close(fd)
					continue
				}
				// Echo it back. (A server with large replies would
				// keep what it could not send yet and wait for
				// POLLOUT; these are small.)
				if err := writeAll(fd, buf[:n]); err != nil {
					unix.Close(fd)
					continue
				}
				keep = append(keep, p)
			}
		}
		fds = keep
	}
}

func writeAll(fd int, b []byte) error {
	for len(b) > 0 {
		n, err := unix.Write(fd, b)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return err
		}
		b = b[n:]
	}
	return nil
}
