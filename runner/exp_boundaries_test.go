package runner

import "testing"

func TestExperiment_boundaries(t *testing.T) {
	experimentEndToEnd(t, "boundaries", []factsPattern{
		{"udp: three datagrams, three reads", `(?s)recvfrom\(\d+, 1024, 0\) = 3.*recvfrom\(\d+, 1024, 0\) = 3.*recvfrom\(\d+, 1024, 0\) = 5`, false},
		{"udp: counts", `written: 3 messages, 11 bytes\n\s+received: 3 reads, 11 bytes`, true},
		{"tcp: every byte", `received: [123] reads?, 11 bytes`, true},
		{"big write in pieces", `one write of 1048576 bytes arrived as \d+ reads`, true},
		{"length prefix", `(?s)4-byte length prefix:\s+3 messages sent in one stream; 3 messages recovered`, true},
		{"delimiter", `(?s)newline after each message:\s+3 messages sent in one stream; 3 messages recovered`, true},
	})
}
