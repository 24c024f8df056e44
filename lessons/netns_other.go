//go:build !linux

package lessons

import (
	"errors"

	"github.com/sockstep/sockstep/lessons/wire"
)

// lossyMTU is the MTU the namespace's loopback would have.
const lossyMTU = 1500

// lossyLink would be a private lossy network namespace; see netns_linux.go.
type lossyLink struct {
	ID   string
	NS   int
	FDs  []int
	Gone <-chan struct{}
	Wire *wire.Capture
}

// newLossyLink needs Linux network namespaces and nftables.
func newLossyLink(loss int, protos []Proto, listen []bool) (*lossyLink, error) {
	return nil, &nsError{"unshare(CLONE_NEWNET)", errors.ErrUnsupported}
}

// newLossyLinkWire is newLossyLink with a capture: unsupported too.
func newLossyLinkWire(loss int, protos []Proto, listen []bool, capture *wire.Options) (*lossyLink, error) {
	return newLossyLink(loss, protos, listen)
}

func (k *lossyLink) dropped() int { return -1 }

// namespaceHeld: there are no namespaces to hold.
func namespaceHeld(id string) bool { return false }

// tcpSegments needs Linux's TCP_INFO.
func tcpSegments(fd int) (retrans, dataOut int) { return -1, -1 }
