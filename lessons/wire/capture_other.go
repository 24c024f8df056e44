//go:build !linux

package wire

import (
	"fmt"
	"time"
)

// Capture is unavailable on this system: Open always fails.
type Capture struct{}

// Open says that capturing needs Linux (an AF_PACKET socket).
func Open(Options) (*Capture, error) {
	return nil, fmt.Errorf("%w: capturing packets on loopback needs Linux", ErrUnavailable)
}

// Watch does nothing.
func (*Capture) Watch(Proto, uint16) error { return nil }

// Unwatch does nothing.
func (*Capture) Unwatch(Proto, uint16) error { return nil }

// Drain returns no packets.
func (*Capture) Drain(time.Duration) Batch { return Batch{Complete: true} }

// Stats returns zeros.
func (*Capture) Stats() (Stats, error) { return Stats{}, nil }

// Err returns nil.
func (*Capture) Err() error { return nil }

// Close does nothing.
func (*Capture) Close() error { return nil }
