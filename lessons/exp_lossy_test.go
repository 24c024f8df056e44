package lessons

import (
	"context"
	"testing"
)

// The relay in user space, always available: the same seed drops the same
// messages every time, and what is not dropped arrives.
func TestLossyLinkRelay(t *testing.T) {
	var first lossyResult
	for run := 0; run < 2; run++ {
		withLab(t, func(l *lab) {
			res, err := l.lossyRelay(context.Background(), 5, 1000, 1)
			if err != nil {
				t.Fatal(err)
			}
			if res.RelayDrops == 0 || res.UDPReceived != res.Count-res.RelayDrops {
				t.Errorf("%d sent, %d dropped by the relay, %d received", res.Count, res.RelayDrops, res.UDPReceived)
			}
			if run == 0 {
				first = res
			} else if res.RelayDrops != first.RelayDrops || len(res.UDPLost) != len(first.UDPLost) || res.UDPLost[0] != first.UDPLost[0] {
				t.Errorf("two runs with one seed lost different messages: %v then %v", first.UDPLost, res.UDPLost)
			}
		})
	}
}
