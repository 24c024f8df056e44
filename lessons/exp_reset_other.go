//go:build !linux

package lessons

import (
	"context"
	"errors"
)

// countStates reads Linux's /proc/net/tcp.
func countStates(port uint16, st string) int { return -1 }

// keepaliveResult: TCP_KEEPIDLE and TCP_INFO's counters are Linux's.
type keepaliveResult struct{}

func (l *lab) keepalive(ctx context.Context) (keepaliveResult, error) {
	return keepaliveResult{}, errors.ErrUnsupported
}

func keepaliveRows(res keepaliveResult) []Row { return nil }
