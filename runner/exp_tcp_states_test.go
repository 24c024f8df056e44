package runner

import "testing"

func TestExperiment_tcp_states(t *testing.T) {
	experimentEndToEnd(t, "tcp-states", []factsPattern{
		{"listening", `CLOSED → \[LISTEN\]`, false},
		{"handshake done before accept", `accept queue: 1 waiting`, true},
		{"both ends established", `(?s)c \(you\)\n\s+CLOSED → SYN_SENT → \[ESTABLISHED\].*conn \(you\)\n\s+CLOSED → SYN_RECV → \[ESTABLISHED\]`, true},
		{"half-closed client", `ESTABLISHED → FIN_WAIT1 → \[FIN_WAIT2\]`, false},
		{"half-closed server", `ESTABLISHED → \[CLOSE_WAIT\]`, false},
		{"still sending after recv returned 0", `(?s)recv\(\d+, 1024, 0\) = 0\n.*send\(\d+, .*\) = \d+\n.*recv\(\d+, 1024, 0\) = \d+`, false},
		{"the server's side gone", `CLOSE_WAIT → LAST_ACK → \[CLOSED\]`, false},
		{"time wait on the side that closed first", `FIN_WAIT2 → \[TIME_WAIT\]`, false},
		{"time wait after close, from /proc", `closed \(no descriptor\) · TIME_WAIT`, true},
		{"server closed first", `SYN_RECV → ESTABLISHED → FIN_WAIT1 → FIN_WAIT2 → \[TIME_WAIT\]`, false},
		{"restart refused", `bind\(\d+, 127\.0\.0\.1:\d+\) → EADDRINUSE`, false},
		{"restart with SO_REUSEADDR", `(?s)setsockopt\(\d+, SOL_SOCKET, SO_REUSEADDR, 1\) = 0\n\s+\S+ \S+ bind\(\d+, 127\.0\.0\.1:\d+\) = 0`, false},
		{"full backlog", `accept queue: 2 connections waiting \(backlog 1\)`, true},
		{"syn dropped", `client 3: SYN_SENT`, true},
		{"syn dropped, counted", `2 clients in SYN_SENT`, true},
	})
}
