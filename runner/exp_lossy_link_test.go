package runner

import (
	"testing"

	"github.com/sockstep/sockstep/lessons"
)

// Where the machine allows it (root on Linux, as CI here) the lesson makes
// its private lossy namespace and shows both halves; elsewhere the relay
// shows UDP alone, says why, and says what TCP would have done.
func TestExperiment_lossy_link(t *testing.T) {
	pats := []factsPattern{
		{"udp lost some", `UDP: 1000 messages sent, 9\d\d arrived, [1-9]\d* lost; every sendto succeeded`, true},
		{"udp call", `sendto\(\d+, <1000 bytes>, 0, 127\.0\.0\.1:\d+\) × 1000 = 1000`, false},
		{"udp numbers", `UDP\S* 1000 \D+ 9\d\d \D+ [1-9]\d*`, false},
	}
	if lessons.LossyLinkReal() {
		pats = append(pats,
			factsPattern{"private namespace", `the lesson's own namespace, whose lo drops 5% of packets at random`, true},
			factsPattern{"the link dropped", `the drop rule's own counter: [1-9]\d* packets dropped`, true},
			factsPattern{"tcp delivered all", `TCP: 1000000 bytes sent, 1000000 bytes arrived`, true},
			factsPattern{"tcp in order", `all in order, none missing, none twice`, true},
			factsPattern{"tcp numbers", `TCP\S* 1000000 \D+ 1000000 `, false},
			factsPattern{"retransmissions", `TCP resent [1-9]\d* segments`, true},
			factsPattern{"tcp_info call", `getsockopt\(\d+, IPPROTO_TCP, TCP_INFO\) = tcpi_total_retrans \d+`, false},
			factsPattern{"unshare call", `unshare\(CLONE_NEWNET\); ioctl\(SIOCSIFFLAGS, lo, IFF_UP\) = 0`, false})
	} else {
		t.Log("no private namespace here: checking the relay path")
		pats = append(pats,
			factsPattern{"why", `No private network namespace here \(unshare\(CLONE_NEWNET\): `, true},
			factsPattern{"relay", `a relay on 127\.0\.0\.1`, true},
			factsPattern{"tcp described", `TCP not shown`, true})
	}
	experimentEndToEnd(t, "lossy-link", pats)
}
