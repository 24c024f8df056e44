package runner

import "testing"

func TestExperiment_tcp_states(t *testing.T) {
	experimentEndToEnd(t, "tcp-states", []factsPattern{
		{"listening", `CLOSED → \[LISTEN\]`, false},
		{"half-closed client", `FIN_WAIT1 → \[FIN_WAIT2\]`, false},
		{"half-closed server", `ESTABLISHED → \[CLOSE_WAIT\]`, false},
		{"time wait on the side that closed first", `FIN_WAIT2 → \[TIME_WAIT\]`, false},
		{"restart refused", `bind\(\d+, 127\.0\.0\.1:\d+\) → EADDRINUSE`, false},
		{"restart with SO_REUSEADDR", `(?s)setsockopt\(\d+, SOL_SOCKET, SO_REUSEADDR, 1\) = 0\n\s+\S+ \S+ bind\(\d+, 127\.0\.0\.1:\d+\) = 0`, false},
		{"full backlog", `accept queue: 2 connections waiting \(backlog 1\)`, true},
		{"syn dropped", `2 clients in SYN_SENT`, true},
	})
}
