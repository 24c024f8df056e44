package runner

import "testing"

func TestExperiment_refused(t *testing.T) {
	experimentEndToEnd(t, "refused", []factsPattern{
		{"unconnected sendto succeeds", `sendto\(\d+, "anyone there\?", 0, 127\.0\.0\.1:\d+\) = 13`, false},
		{"connected udp hears the ICMP error", `recv\(\d+, 1024, 0\) → ECONNREFUSED`, false},
		{"tcp refused at once", `connect\(\d+, 127\.0\.0\.1:\d+\) → ECONNREFUSED`, false},
	})
}
