//go:build linux

package lessons_test

import (
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons/wire"
)

// TestWireAddressesLesson: the ephemeral step's "hi", sent from an
// unbound UDP socket, is among the step's captured packets, from the port
// the kernel gave the socket at that sendto (udp(7)) to the receiver's.
func TestWireAddressesLesson(t *testing.T) {
	all, err := content.Builtin(content.English, "")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(all, func(l *content.Lesson) bool { return l.ID == "addresses" })
	if i < 0 {
		t.Fatal("no lesson addresses")
	}
	step := slices.IndexFunc(all[i].Steps, func(st content.Step) bool {
		return slices.ContainsFunc(st.Directives, func(d content.Directive) bool {
			return d.Action == "experiment" && d.Args["case"] == "ephemeral"
		})
	})
	if step < 0 {
		t.Fatal("the addresses lesson has no case=ephemeral step")
	}
	ps := wireSteps(t, "addresses")[step]
	if len(ps) == 0 {
		t.Fatalf("step %d: no packets captured", step+1)
	}
	// The text calls it the last packet, after the cleanup's RST-ACK.
	last := ps[len(ps)-1]
	if last.Proto != wire.UDP || last.Len != len("hi") {
		t.Fatalf("step %d (%s): the last of its %d packets is %v %s Len=%d, want the 2-byte UDP datagram", step+1, all[i].Steps[step].Title, len(ps), last.Proto, last.Flags, last.Len)
	}
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		t.Fatal(err)
	}
	var low, high int
	if _, err := fmt.Sscan(string(data), &low, &high); err != nil {
		t.Fatal(err)
	}
	if p := int(last.Src.Port()); p < low || p > high {
		t.Errorf("the datagram left from port %d, outside ip_local_port_range %d–%d", p, low, high)
	}
}
