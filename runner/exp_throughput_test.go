package runner

import "testing"

func TestExperiment_throughput(t *testing.T) {
	experimentEndToEnd(t, "throughput", []factsPattern{
		{"tcp rate", `TCP: \d+ bytes in [\d.]+ ms = \d+ MB/s`, true},
		{"udp counts", `UDP: \d+ datagrams of 1400 bytes sent`, true},
		{"bars", `(?m)^\s+TCP\s+█+\s+[\d,.]+ MB/s$`, false},
	})
}
