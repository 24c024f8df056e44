package runner

import "testing"

func TestExperiment_throughput(t *testing.T) {
	experimentEndToEnd(t, "throughput", []factsPattern{
		{"tcp", `TCP: \d+ MB in [\d.]+ s = \d+ MB/s; \d+ sends of 256 KiB, \d+ recvs`, true},
		{"udp small", `UDP: \d+ datagrams of 1400 bytes sent, \d+ received`, true},
		{"udp big", `UDP: \d+ datagrams of 60000 bytes sent, \d+ received`, true},
		{"udp lost", `UDP: \d+ lost \([\d.]+%\)`, true},
		{"bars", `(?m)^\s+TCP\s+█+\s+[\d,.]+ MB/s$`, false},
	})
}
