//go:build !windows

package main

import (
	"syscall"
	"testing"
	"time"
)

// Ctrl-C inside the long waits of the second course's experiments ends
// the process at once with status 130: a blocking recvfrom, a connect
// whose SYNs are being dropped (root: inside the private namespace), an
// event loop waiting for its silent client.
func TestInterruptCourse2(t *testing.T) {
	for _, tc := range []struct {
		lesson, marker string
		settle         time.Duration
	}{
		{"timeouts", "Step 1 of 3", time.Second},
		{"timeouts", "Step 3 of 3", 1500 * time.Millisecond},
		{"nonblocking", "Step 2 of 2", 100 * time.Millisecond},
	} {
		t.Run(tc.lesson+"/"+tc.marker, func(t *testing.T) {
			p := startSockstep(t, "run", tc.lesson, "--auto")
			interrupt(t, p, tc.marker, tc.settle, syscall.SIGINT, 130)
		})
	}
}
