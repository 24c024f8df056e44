//go:build linux

package lessons_test

import (
	"testing"
	"time"

	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/wire"
)

// BenchmarkStepWire measures what capturing adds to a step: the same step
// (a send of 10 bytes and its recv on an established connection) with and
// without a capture. The difference between the two ns/op is the
// capture's cost per step (Drain's marker round trip and the decoding).
//
//	go test ./lessons -run - -bench StepWire
func BenchmarkStepWire(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := "drawn"
		if on {
			name = "captured"
		}
		b.Run(name, func(b *testing.B) {
			var cfg lessons.Config
			if on {
				c, err := wire.Open(wire.Options{Snap: 256})
				if err != nil {
					b.Skipf("cannot capture: %v", err)
				}
				defer c.Close()
				cfg.Wire = c
			}
			s := lessons.NewSession(cfg, nil)
			defer s.Close()
			ctx := b.Context()
			setup := []string{"socket rx udp", "bind rx addr=127.0.0.1:0", "socket tx udp"}
			for _, line := range setup {
				if err := s.RunStep(ctx, directives(b, line)); err != nil {
					b.Fatalf("%s: %v", line, err)
				}
			}
			step := directives(b, "sendto tx to=rx text=0123456789", "recvfrom rx")
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := s.RunStep(ctx, step); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestWireThroughputDrops runs the throughput experiment's first part
// (TCP then UDP at full speed on loopback, half a second each) under a
// capture and reports, from the socket's PACKET_STATISTICS (packet(7)),
// how many packets the capture kept and how many it dropped because its
// buffer was full. Drops depend on the machine's load, so they are
// reported, not failed: sockstep tells the learner the count.
func TestWireThroughputDrops(t *testing.T) {
	if testing.Short() {
		t.Skip("moves data at full speed for a second")
	}
	c := capture(t)
	s, _ := newSession(t, lessons.Config{Wire: c})
	start := time.Now()
	mustStep(t, s, "experiment throughput seconds=0.5")
	took := time.Since(start)
	st, err := c.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if st.Packets == 0 {
		t.Fatal("the capture kept no packet of the experiment")
	}
	more := 0
	for _, e := range s.Timeline() {
		if e.Kind == lessons.EventWireMore {
			more += e.Count
		}
	}
	t.Logf("throughput experiment (%v): the capture kept %d packets and dropped %d (%.1f%%); the step lists %d and sums up %d more",
		took.Round(time.Millisecond), st.Packets, st.Drops, 100*float64(st.Drops)/float64(st.Packets+st.Drops), lessons.WireShown, more)
}
