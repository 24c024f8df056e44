package unixshim

import "syscall"

// errWindows is every call's error: lessons need a Unix kernel.
var errWindows error = syscall.EWINDOWS

// The types have x/sys/unix's shapes on Linux, enough for the portable
// files to build; nothing on Windows makes a value of them.
type (
	Errno         = syscall.Errno
	Sockaddr      interface{}
	SockaddrInet4 struct {
		Port int
		Addr [4]byte
	}
	SockaddrInet6 struct {
		Port   int
		ZoneId uint32
		Addr   [16]byte
	}
	PollFd struct {
		Fd      int32
		Events  int16
		Revents int16
	}
	Timeval struct{ Sec, Usec int64 }
	Linger  struct{ Onoff, Linger int32 }
)

// Linux's numbers, which nothing on Windows passes to a kernel; the
// errno names are Go's own Windows values, so that errors.Is works.
const (
	AF_INET         = 0x2
	AF_INET6        = 0xa
	EADDRINUSE      = syscall.EADDRINUSE
	EAGAIN          = syscall.EAGAIN
	ECONNREFUSED    = syscall.ECONNREFUSED
	EINPROGRESS     = syscall.EINPROGRESS
	EINTR           = syscall.EINTR
	ELOOP           = syscall.ELOOP
	IPPROTO_TCP     = 0x6
	LOCK_EX         = 0x2
	LOCK_UN         = 0x8
	MSG_DONTWAIT    = 0x40
	MSG_NOSIGNAL    = 0x4000
	MSG_TRUNC       = 0x20
	O_NOFOLLOW      = 0 // os.OpenFile flags: no such thing on Windows
	O_NONBLOCK      = 0
	POLLIN          = 0x1
	POLLOUT         = 0x4
	SHUT_RD         = 0x0
	SHUT_RDWR       = 0x2
	SHUT_WR         = 0x1
	SOCK_DGRAM      = 0x2
	SOCK_STREAM     = 0x1
	SOL_SOCKET      = 0x1
	SO_BINDTODEVICE = 0x19
	SO_ERROR        = 0x4
	SO_RCVBUF       = 0x8
	SO_RCVTIMEO     = 0x14
	SO_REUSEADDR    = 0x2
	SO_SNDBUF       = 0x7
	SO_SNDTIMEO     = 0x15
	ECONNRESET      = syscall.ECONNRESET
	EPIPE           = syscall.EPIPE
	IPPROTO_IPV6    = 0x29
	IPV6_V6ONLY     = 0x1a
	POLLERR         = 0x8
	SO_LINGER       = 0xd
	TCP_NODELAY     = 0x1
)

func Accept(fd int) (int, Sockaddr, error)                        { return -1, nil, errWindows }
func Bind(fd int, sa Sockaddr) error                              { return errWindows }
func Close(fd int) error                                          { return errWindows }
func CloseOnExec(fd int)                                          {}
func Connect(fd int, sa Sockaddr) error                           { return errWindows }
func ErrnoName(e Errno) string                                    { return "" }
func Getpeername(fd int) (Sockaddr, error)                        { return nil, errWindows }
func Getsockname(fd int) (Sockaddr, error)                        { return nil, errWindows }
func GetsockoptInt(fd, level, opt int) (int, error)               { return 0, errWindows }
func Listen(fd int, n int) error                                  { return errWindows }
func NsecToTimeval(nsec int64) Timeval                            { return Timeval{Sec: nsec / 1e9, Usec: nsec % 1e9 / 1e3} }
func Poll(fds []PollFd, timeout int) (int, error)                 { return 0, errWindows }
func Read(fd int, p []byte) (int, error)                          { return 0, errWindows }
func Recvfrom(fd int, p []byte, flags int) (int, Sockaddr, error) { return 0, nil, errWindows }
func Recvmsg(fd int, p, oob []byte, flags int) (n, oobn, recvflags int, from Sockaddr, err error) {
	return 0, 0, 0, nil, errWindows
}
func SendmsgN(fd int, p, oob []byte, to Sockaddr, flags int) (int, error) { return 0, errWindows }
func Sendto(fd int, p []byte, flags int, to Sockaddr) error               { return errWindows }
func SetNonblock(fd int, nonblocking bool) error                          { return errWindows }
func SetsockoptInt(fd, level, opt int, value int) error                   { return errWindows }
func SetsockoptTimeval(fd, level, opt int, tv *Timeval) error             { return errWindows }
func Shutdown(fd int, how int) error                                      { return errWindows }
func Socket(domain, typ, proto int) (int, error)                          { return -1, errWindows }
func Write(fd int, p []byte) (int, error)                                 { return 0, errWindows }

// Flock is a lock that always holds: on Windows only `progress --reset`
// writes the progress file (no lesson or check runs to write beside it).
func Flock(fd int, how int) error { return nil }

func SetsockoptString(fd, level, opt int, s string) error { return errWindows }

func SetsockoptLinger(fd, level, opt int, l *Linger) error { return errWindows }
