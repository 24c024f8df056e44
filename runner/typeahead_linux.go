package runner

import "golang.org/x/sys/unix"

// discardTypeahead drops what was typed on the terminal but not yet read:
// an Enter pressed while a call blocked (an accept waiting for the other
// terminal) would otherwise answer the next prompt, and the next step
// would run unasked. tcflush(fd, TCIFLUSH) is termios(3)'s way of saying
// it; on Linux it is the TCFLSH ioctl.
func discardTypeahead(fd uintptr) {
	_ = unix.IoctlSetInt(int(fd), unix.TCFLSH, unix.TCIFLUSH)
}
