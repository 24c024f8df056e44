//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd

package runner

// discardTypeahead does nothing where the terminal's input queue cannot be
// flushed through x/sys/unix.
func discardTypeahead(uintptr) {}
