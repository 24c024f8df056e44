//go:build !linux && !windows

package runner

import "golang.org/x/sys/unix"

// getTermios is the ioctl that reads a terminal's mode.
const getTermios = unix.TIOCGETA
