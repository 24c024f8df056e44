package lessons

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"testing"
)

// A server that never accepts: the queue holds backlog+1 finished
// handshakes, and the next clients' SYNs get no answer (SYN_SENT).
func TestBacklogFills(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("TCP_INFO states are read on Linux only")
	}
	tests := []struct {
		backlog, clients int
	}{
		{1, 4}, // the lesson's
		{0, 2},
		{2, 4},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("backlog=%d,clients=%d", tt.backlog, tt.clients), func(t *testing.T) {
			withLab(t, func(l *lab) {
				res, err := l.fillBacklog(context.Background(), tt.backlog, tt.clients)
				if err != nil {
					t.Fatal(err)
				}
				queued := tt.backlog + 1
				var want []string
				for i := range tt.clients {
					if i < queued {
						want = append(want, "ESTABLISHED")
					} else {
						want = append(want, "SYN_SENT")
					}
				}
				if res.Queued != queued || !slices.Equal(res.States, want) {
					t.Errorf("got %d queued, clients %v; want %d queued, clients %v", res.Queued, res.States, queued, want)
				}
				if res.count("SYN_SENT") != tt.clients-queued {
					t.Errorf("count(SYN_SENT) = %d, want %d", res.count("SYN_SENT"), tt.clients-queued)
				}
			})
		})
	}
}

// Ctrl-C: a cancelled experiment stops and closes its clients.
func TestBacklogCancelled(t *testing.T) {
	withLab(t, func(l *lab) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := l.fillBacklog(ctx, 0, 3)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}
