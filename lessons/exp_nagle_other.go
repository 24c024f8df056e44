//go:build !linux

package lessons

import (
	"errors"
	"time"
)

// TCP_CORK and TCP_INFO's counters are Linux's; elsewhere the lesson says
// it cannot show them.
func setCork(fd int, on bool) error   { return errors.ErrUnsupported }
func dataSegsOut(fd int) int          { return -1 }
func ackTimeout(fd int) time.Duration { return 0 }
