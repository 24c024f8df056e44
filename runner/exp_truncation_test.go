package runner

import "testing"

func TestExperiment_truncation(t *testing.T) {
	experimentEndToEnd(t, "truncation", []factsPattern{
		{"real length with MSG_TRUNC", `recvfrom\(\d+, 1024, MSG_TRUNC\) = 2000`, false},
		{"the next datagram, not the rest", `recvfrom\(\d+, 1024, 0\) = 4\n\s+\S+.*"next"`, false},
		{"discarded", `976 bytes were discarded`, true},
		{"tcp keeps everything", `2000 bytes sent; \d+ reads; 2000 bytes received`, true},
	})
}
