package runner

import (
	"testing"

	"github.com/sockstep/sockstep/lessons"
)

// Where the machine allows it (root on Linux, as CI here) the lesson makes
// its private lossy namespace and shows both halves; elsewhere the relay
// shows UDP alone, and says why.
func TestExperiment_lossy_link(t *testing.T) {
	pats := []factsPattern{
		{"udp lost some", `UDP: 1000 messages sent, 9\d\d arrived, [1-9]\d* lost`, true},
	}
	if lessons.LossyLinkReal() {
		pats = append(pats,
			factsPattern{"private namespace", `a private network namespace made for this lesson`, true},
			factsPattern{"tcp delivered all", `TCP: 100000 bytes sent, 100000 bytes arrived`, true},
			factsPattern{"retransmissions", `TCP resent [1-9]\d* segments`, true})
	} else {
		t.Log("no private namespace here: checking the relay path")
		pats = append(pats,
			factsPattern{"why", `No private network namespace here`, true},
			factsPattern{"relay", `a relay on 127\.0\.0\.1`, true})
	}
	experimentEndToEnd(t, "lossy-link", pats)
}
