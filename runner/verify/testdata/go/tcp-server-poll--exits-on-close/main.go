// Wrong: the first client to leave ends the whole server (recv returning
// 0 read as "the server is done").
package main

import (
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

func main() {
	port, _ := strconv.Atoi(os.Args[2])
	lfd, _ := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err := unix.Bind(lfd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}, Port: port}); err != nil {
		panic(err)
	}
	unix.Listen(lfd, 16)
	fds := []unix.PollFd{{Fd: int32(lfd), Events: unix.POLLIN}}
	buf := make([]byte, 1024)
	for {
		if _, err := unix.Poll(fds, -1); err != nil {
			continue
		}
		var keep []unix.PollFd
		for _, p := range fds {
			switch {
			case p.Revents == 0:
				keep = append(keep, p)
			case int(p.Fd) == lfd:
				keep = append(keep, p)
				if c, _, err := unix.Accept(lfd); err == nil {
					keep = append(keep, unix.PollFd{Fd: int32(c), Events: unix.POLLIN})
				}
			default:
				n, _ := unix.Read(int(p.Fd), buf)
				if n <= 0 {
					os.Exit(0)
				}
				unix.Write(int(p.Fd), buf[:n])
				keep = append(keep, p)
			}
		}
		fds = keep
	}
}
