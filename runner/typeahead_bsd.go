//go:build darwin || freebsd || netbsd || openbsd

package runner

import "golang.org/x/sys/unix"

// discardTypeahead drops what was typed on the terminal but not yet read
// (see typeahead_linux.go). The BSDs say tcflush(fd, TCIFLUSH) as the
// TIOCFLUSH ioctl with FREAD (1): tty(4).
func discardTypeahead(fd uintptr) {
	_ = unix.IoctlSetPointerInt(int(fd), unix.TIOCFLUSH, 1)
}
