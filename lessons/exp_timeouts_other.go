//go:build !linux

package lessons

import (
	"context"
	"errors"
	"time"
)

// synDropped needs a private Linux network namespace; see
// exp_timeouts_linux.go.
func (l *lab) synDropped(ctx context.Context, limit time.Duration) (synResult, error) {
	return synResult{Path: "none", Limit: limit, Dropped: -1}, &nsError{"unshare(CLONE_NEWNET)", errors.ErrUnsupported}
}
