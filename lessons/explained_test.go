//go:build !windows

package lessons_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
	"golang.org/x/sys/unix"
)

// A step's error is explained with its call when the call that failed
// was shown in that step; an errno no shown call failed with (an
// experiment's hidden call), or one of an earlier step, is not.
func TestExplained(t *testing.T) {
	s, _ := newSession(t, lessons.Config{})
	port := sockettest.FreePort(t)
	mustStep(t, s, "socket a udp", fmt.Sprintf("bind a port=%d", port), "socket b udp")
	err := stepErr(t, s, fmt.Sprintf("bind b port=%d", port))
	if !errors.Is(err, unix.EADDRINUSE) || !s.Explained(err) {
		t.Fatalf("bind on a taken port: %v, explained %v; want EADDRINUSE, shown with its call", err, s.Explained(err))
	}
	if s.Explained(fmt.Errorf("sendto: %w", unix.ECONNREFUSED)) {
		t.Error("an errno no call was shown failing with counts as explained")
	}
	if s.Explained(errors.New("no errno")) {
		t.Error("an error without an errno counts as explained")
	}
	mustStep(t, s, "close a")
	if s.Explained(err) {
		t.Error("the next step still counts the last step's failed call as shown")
	}
}
