package lessons

import (
	"context"
	"slices"
	"testing"

	"github.com/sockstep/sockstep/lessons/sockettest"
)

// The relay in user space, always available: the same seed drops the same
// messages every time, and every message it does not drop arrives.
func TestLossyLinkRelay(t *testing.T) {
	var first lossyResult
	for run := 0; run < 2; run++ {
		withLab(t, func(l *lab) {
			res, err := l.lossyRelay(context.Background(), 5, 1000, lossySeed)
			if err != nil {
				t.Fatal(err)
			}
			if res.Path != "relay" || res.Count != 1000 {
				t.Errorf("path %q, %d sent; want the relay, 1000", res.Path, res.Count)
			}
			if res.Dropped == 0 || res.Dropped > 200 {
				t.Errorf("the relay dropped %d of 1000 at 5%%", res.Dropped)
			}
			if res.Received != res.Count-res.Dropped || len(res.Lost) != res.Dropped {
				t.Errorf("%d sent, %d dropped by the relay, %d received, %d missing", res.Count, res.Dropped, res.Received, len(res.Lost))
			}
			if run == 0 {
				first = res
				t.Logf("seed %d: %d dropped, first %v", lossySeed, res.Dropped, res.Lost[:min(len(res.Lost), lossyShown)])
			} else if res.Dropped != first.Dropped || !slices.Equal(res.Lost, first.Lost) {
				t.Errorf("two runs with one seed lost different messages:\n%v\n%v", first.Lost, res.Lost)
			}
		})
	}
}

// mode=relay takes the relay even where a namespace could be made: UDP
// goes through it, TCP is only described.
func TestLossyLinkForcedRelay(t *testing.T) {
	for _, tc := range []struct {
		proto Proto
		path  string
	}{{UDP, "relay"}, {TCP, "none"}} {
		t.Run(string(tc.proto), func(t *testing.T) {
			before := len(sockettest.Sockets(t))
			s := NewSession(Config{}, nil)
			res, err := s.lossyLink(context.Background(), tc.proto, 5, 200, "relay")
			if err != nil {
				t.Fatal(err)
			}
			if res.Path != tc.path || res.Namespace != "" {
				t.Errorf("path %q, namespace %q; want %q and none", res.Path, res.Namespace, tc.path)
			}
			if tc.proto == UDP && res.Received != res.Count-res.Dropped {
				t.Errorf("%d sent, %d dropped, %d received", res.Count, res.Dropped, res.Received)
			}
			m := lossyMeasurement(res)
			if len(m.Rows) == 0 || m.Title == "" {
				t.Errorf("nothing to show: %+v", m)
			}
			if after := len(sockettest.Sockets(t)); after != before {
				t.Errorf("sockets: %d before, %d after", before, after)
			}
		})
	}
}

// The stream the TCP half checks against is the messages, back to back.
func TestLossyMessageByte(t *testing.T) {
	for i := 0; i < 300; i++ {
		for k, b := range message(i) {
			if got := messageByte(i*lossyMessageSize + k); got != b {
				t.Fatalf("byte %d of message %d: %q, want %q", k, i, got, b)
			}
		}
	}
}
