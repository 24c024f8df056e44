//go:build !linux

package lessons

import "context"

// interruptedSend needs tgkill, to signal the one thread blocked in
// send; elsewhere the lesson only explains (Real is false).
func (l *lab) interruptedSend(ctx context.Context, size int) (signalResult, error) {
	return signalResult{Asked: size}, nil
}
