//go:build linux

package lessons_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"golang.org/x/sys/unix"
)

// Ctrl-C ends a call that is blocked waiting for a peer at once, with
// context.Canceled. The step runs on its own thread, and the test cancels
// only once /proc shows that thread sleeping in ppoll, the wait behind
// every blocking call.
func TestCancelBlockedCall(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	tests := []struct {
		name  string
		setup [][]string
		step  string
	}{
		{"accept", [][]string{{"socket srv tcp", "bind srv port=0", "listen srv"}}, "accept srv as=conn"},
		{"recvfrom", [][]string{{"socket rx udp", "bind rx port=0"}}, "recvfrom rx"},
		{"recv", tcpSetup, "recv conn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, ui := newSession(t, lessons.Config{}) // no wait limit: wait for ever
			for _, st := range tt.setup {
				mustStep(t, s, st...)
			}
			err := cancelWhenBlocked(t, s, directives(t, tt.step))
			if !errors.Is(err, context.Canceled) {
				t.Errorf("error = %v, want context.Canceled", err)
			}
			name := directive(t, tt.step).Pos[0]
			if ui.hasCall(name, tt.name) {
				t.Errorf("%s was reported as called", tt.name)
			}
		})
	}
}

// cancelWhenBlocked runs a step on its own thread, cancels its context once
// the thread is blocked in ppoll, and returns the step's error.
func cancelWhenBlocked(t *testing.T, s *lessons.Session, ds []content.Directive) error {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	tids := make(chan int, 1)
	errs := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		tids <- unix.Gettid()
		errs <- s.RunStep(ctx, ds)
	}()
	defer func() { cancel(); <-done }() // the session is not used after this returns
	waitInPoll(t, <-tids, errs)
	cancel()
	select {
	case err := <-errs:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("the blocked call did not end after cancel")
		return nil
	}
}

// waitInPoll waits until thread tid is inside ppoll (read from
// /proc/self/task/TID/syscall), or skips the test when that file cannot
// be read. It fails if the step ends instead.
func waitInPoll(t *testing.T, tid int, errs chan error) {
	t.Helper()
	file := fmt.Sprintf("/proc/self/task/%d/syscall", tid)
	want := strconv.Itoa(unix.SYS_PPOLL)
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Skipf("cannot see whether the step blocks: %v", err)
		}
		if f := strings.Fields(string(data)); len(f) > 0 && f[0] == want {
			return
		}
		select {
		case err := <-errs:
			t.Fatalf("the step ended before it blocked: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the step never blocked in ppoll (last: %q)", data)
		}
		time.Sleep(time.Millisecond)
	}
}
