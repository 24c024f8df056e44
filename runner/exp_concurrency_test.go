package runner

import "testing"

func TestExperiment_concurrency(t *testing.T) {
	experimentEndToEnd(t, "concurrency", []factsPattern{
		{"connected without accept", `had accepted 1 connection\(s\),\s+and\s+1\s+waited`, true},
		{"iterative: after A", `B's reply came only after A hung up`, true},
		{"both measured", `(?s)one client at a time:.*a goroutine per connection:`, true},
		{"bars", `B's wait, goroutine each\s+█*\s+[\d.,]+ ms`, true},
	})
}
