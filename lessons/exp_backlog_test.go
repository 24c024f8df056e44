package lessons

import (
	"context"
	"runtime"
	"testing"
)

// A server that never accepts: the queue holds backlog+1 finished
// handshakes, and the next client's SYN gets no answer (SYN_SENT).
func TestBacklogFills(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("TCP_INFO states are read on Linux only")
	}
	withLab(t, func(l *lab) {
		res, err := l.fillBacklog(context.Background(), 1, 4)
		if err != nil {
			t.Fatal(err)
		}
		if res.Queued != 2 || res.count("ESTABLISHED") != 2 || res.count("SYN_SENT") != 2 {
			t.Errorf("backlog 1, 4 clients: %+v; want 2 queued and established, 2 in SYN_SENT", res)
		}
		if len(res.States) == 4 && (res.States[0] != "ESTABLISHED" || res.States[3] != "SYN_SENT") {
			t.Errorf("states in order of connecting: %v", res.States)
		}
	})
}
