package runner

import "testing"

func TestExperiment_flow_control(t *testing.T) {
	experimentEndToEnd(t, "flow-control", []factsPattern{
		{"send refused", `send\(\d+, <4096 bytes>, 0\) → EAGAIN`, false},
		{"queues grew", `receiver's queue +[1-9]\d* B, sender's queue +[1-9]\d* B`, true},
		{"flows again", `then a send went through again \(4096 bytes\)`, true},
		{"udp lost some", `lost: [1-9]\d* datagrams`, true},
		{"the socket counted them", `drop counter \(/proc/net/udp\): [1-9]\d*`, true},
	})
}
