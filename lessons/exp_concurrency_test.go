package lessons

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// The iterative server: B's connect succeeds at once (the kernel finishes
// the handshake; B waits in the accept queue), but B's reply comes only
// after A hangs up. The concurrent server answers B while A is connected.
// A holds its connection for a whole second, so the order of events does
// not depend on how busy the machine is.
func TestIterativeVersusConcurrent(t *testing.T) {
	for _, c := range []struct {
		concurrent, afterA bool
	}{{false, true}, {true, false}} {
		withLab(t, func(l *lab) {
			res, err := l.twoClients(context.Background(), c.concurrent, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if res.BAfterAClosed != c.afterA {
				t.Errorf("%s server: B's reply came after A closed = %v, want %v", res.Mode, res.BAfterAClosed, c.afterA)
			}
			if !c.concurrent {
				if res.AcceptedAtB != 1 {
					t.Errorf("iterative: %d connections accepted when B connected, want 1 (only A)", res.AcceptedAtB)
				}
				if runtime.GOOS == "linux" && res.QueueAtB != 1 {
					t.Errorf("iterative: accept queue %d when B connected, want 1 (B, handshake done)", res.QueueAtB)
				}
			}
		})
	}
}

// A wait too short for one decimal is written to the microsecond, never
// as "0.0".
func TestMs(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0.0"},
		{42 * time.Microsecond, "0.042"},
		{99 * time.Microsecond, "0.099"},
		{100 * time.Microsecond, "0.1"},
		{1234 * time.Microsecond, "1.2"},
		{3 * time.Second, "3000.0"},
	} {
		if got := ms(c.d); got != c.want {
			t.Errorf("ms(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}
