//go:build !windows

package unixshim

import "golang.org/x/sys/unix"

type (
	Errno         = unix.Errno
	Linger        = unix.Linger
	PollFd        = unix.PollFd
	Sockaddr      = unix.Sockaddr
	SockaddrInet4 = unix.SockaddrInet4
	SockaddrInet6 = unix.SockaddrInet6
	Timeval       = unix.Timeval
)

const (
	AF_INET      = unix.AF_INET
	AF_INET6     = unix.AF_INET6
	EADDRINUSE   = unix.EADDRINUSE
	EAGAIN       = unix.EAGAIN
	ECONNRESET   = unix.ECONNRESET
	ECONNREFUSED = unix.ECONNREFUSED
	EINPROGRESS  = unix.EINPROGRESS
	EINTR        = unix.EINTR
	EPIPE        = unix.EPIPE
	ELOOP        = unix.ELOOP
	IPPROTO_IPV6 = unix.IPPROTO_IPV6
	IPPROTO_TCP  = unix.IPPROTO_TCP
	IPV6_V6ONLY  = unix.IPV6_V6ONLY
	LOCK_EX      = unix.LOCK_EX
	LOCK_UN      = unix.LOCK_UN
	MSG_DONTWAIT = unix.MSG_DONTWAIT
	MSG_NOSIGNAL = unix.MSG_NOSIGNAL
	MSG_TRUNC    = unix.MSG_TRUNC
	O_NOFOLLOW   = unix.O_NOFOLLOW
	O_NONBLOCK   = unix.O_NONBLOCK
	POLLERR      = unix.POLLERR
	POLLIN       = unix.POLLIN
	POLLOUT      = unix.POLLOUT
	SHUT_RD      = unix.SHUT_RD
	SHUT_RDWR    = unix.SHUT_RDWR
	SHUT_WR      = unix.SHUT_WR
	SOCK_DGRAM   = unix.SOCK_DGRAM
	SOCK_STREAM  = unix.SOCK_STREAM
	SOL_SOCKET   = unix.SOL_SOCKET
	SO_ERROR     = unix.SO_ERROR
	SO_LINGER    = unix.SO_LINGER
	SO_RCVBUF    = unix.SO_RCVBUF
	SO_RCVTIMEO  = unix.SO_RCVTIMEO
	SO_REUSEADDR = unix.SO_REUSEADDR
	SO_SNDBUF    = unix.SO_SNDBUF
	SO_SNDTIMEO  = unix.SO_SNDTIMEO
	TCP_NODELAY  = unix.TCP_NODELAY
)

func Accept(fd int) (int, Sockaddr, error)          { return unix.Accept(fd) }
func Bind(fd int, sa Sockaddr) error                { return unix.Bind(fd, sa) }
func Close(fd int) error                            { return unix.Close(fd) }
func CloseOnExec(fd int)                            { unix.CloseOnExec(fd) }
func Connect(fd int, sa Sockaddr) error             { return unix.Connect(fd, sa) }
func ErrnoName(e Errno) string                      { return unix.ErrnoName(e) }
func Flock(fd int, how int) error                   { return unix.Flock(fd, how) }
func Getpeername(fd int) (Sockaddr, error)          { return unix.Getpeername(fd) }
func Getsockname(fd int) (Sockaddr, error)          { return unix.Getsockname(fd) }
func GetsockoptInt(fd, level, opt int) (int, error) { return unix.GetsockoptInt(fd, level, opt) }
func Listen(fd int, n int) error                    { return unix.Listen(fd, n) }
func NsecToTimeval(nsec int64) Timeval              { return unix.NsecToTimeval(nsec) }
func Poll(fds []PollFd, timeout int) (int, error)   { return unix.Poll(fds, timeout) }
func Read(fd int, p []byte) (int, error)            { return unix.Read(fd, p) }
func Recvfrom(fd int, p []byte, flags int) (int, Sockaddr, error) {
	return unix.Recvfrom(fd, p, flags)
}
func Recvmsg(fd int, p, oob []byte, flags int) (n, oobn, recvflags int, from Sockaddr, err error) {
	return unix.Recvmsg(fd, p, oob, flags)
}
func SendmsgN(fd int, p, oob []byte, to Sockaddr, flags int) (int, error) {
	return unix.SendmsgN(fd, p, oob, to, flags)
}
func Sendto(fd int, p []byte, flags int, to Sockaddr) error { return unix.Sendto(fd, p, flags, to) }
func SetNonblock(fd int, nonblocking bool) error            { return unix.SetNonblock(fd, nonblocking) }
func SetsockoptInt(fd, level, opt int, value int) error {
	return unix.SetsockoptInt(fd, level, opt, value)
}
func SetsockoptTimeval(fd, level, opt int, tv *Timeval) error {
	return unix.SetsockoptTimeval(fd, level, opt, tv)
}
func Shutdown(fd int, how int) error             { return unix.Shutdown(fd, how) }
func Socket(domain, typ, proto int) (int, error) { return unix.Socket(domain, typ, proto) }
func Write(fd int, p []byte) (int, error)        { return unix.Write(fd, p) }
func SetsockoptLinger(fd, level, opt int, l *Linger) error {
	return unix.SetsockoptLinger(fd, level, opt, l)
}
