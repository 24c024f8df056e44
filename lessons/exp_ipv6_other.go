//go:build !linux

package lessons

import "errors"

// bindToLoopback needs Linux's SO_BINDTODEVICE; without it the lesson
// does not bind the any-address at all.
func bindToLoopback(fd int) error { return errors.ErrUnsupported }
