package sock

import unix "github.com/sockstep/sockstep/lessons/unixshim"

// Windows: lessons do not run there (the command line points to WSL 2);
// these let the packages that use sock build, and fail if called.

// Socket fails with syscall.EWINDOWS.
func Socket(family, typ, proto int) (int, error) { return unix.Socket(family, typ, proto) }

// Accept fails with syscall.EWINDOWS.
func Accept(fd int) (int, unix.Sockaddr, error) { return unix.Accept(fd) }
