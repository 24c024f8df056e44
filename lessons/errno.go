package lessons

import (
	"errors"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// ErrnoName returns the symbolic name of an errno ("EADDRINUSE"), which is
// what the lesson text and the message catalog are keyed by.
func ErrnoName(e unix.Errno) string {
	if n := unix.ErrnoName(e); n != "" {
		return n
	}
	return e.Error()
}

// ErrnoOf returns the errno inside err, or 0.
func ErrnoOf(err error) unix.Errno {
	var e unix.Errno
	if errors.As(err, &e) {
		return e
	}
	return 0
}

// errnoByName reads an errno name from a lesson directive (expect=...).
func errnoByName(name string) (unix.Errno, bool) {
	for e := unix.Errno(1); e < 256; e++ {
		if unix.ErrnoName(e) == name {
			return e, true
		}
	}
	return 0, false
}
