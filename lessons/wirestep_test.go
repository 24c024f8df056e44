package lessons

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/sockstep/sockstep/lessons/wire"
)

// fakeCapture hands over one batch, as a capture would at a step's end.
type fakeCapture struct{ batch wire.Batch }

func (f *fakeCapture) Watch(wire.Proto, uint16) error   { return nil }
func (f *fakeCapture) Unwatch(wire.Proto, uint16) error { return nil }
func (f *fakeCapture) Drain(time.Duration) wire.Batch {
	b := f.batch
	f.batch = wire.Batch{}
	return b
}

// TestWireStepKeepsWhatMatters: of a step's 1000 data segments with an RST
// at 900, the timeline lists the first few and the RST, and sums up the
// others: how many, the data of all, and the packets the capture lost.
func TestWireStepKeepsWhatMatters(t *testing.T) {
	c := netip.MustParseAddrPort("127.0.0.1:40000")
	s := netip.MustParseAddrPort("127.0.0.1:50000")
	t0 := time.Unix(1700000000, 0)
	var b wire.Batch
	for i := range 1000 {
		p := wire.Packet{Time: t0.Add(time.Duration(i) * time.Microsecond), Proto: wire.TCP, Src: c, Dst: s,
			Flags: "PSH-ACK", Seq: uint32(1 + 100*i), Ack: 1, Win: 65536, Len: 100}
		if i == 900 {
			p.Flags, p.Len, p.Win = "RST", 0, 0
		}
		b.Packets = append(b.Packets, p)
		b.Bytes += int64(p.Len)
	}
	b.Dropped = 7
	sess := NewSession(Config{Wire: &fakeCapture{batch: b}}, nil)
	sess.wireStep(0)
	var listed []*wire.Packet
	var more *Event
	for _, e := range sess.Timeline() {
		switch e.Kind {
		case EventWire:
			listed = append(listed, e.Wire)
			if want := time.Duration(min(len(listed)-1, 1)) * time.Microsecond; e.Wire.Flags != "RST" && e.Gap != want {
				t.Errorf("packet %d: %v after the one before, want %v", len(listed), e.Gap, want)
			}
		case EventWireMore:
			if more != nil {
				t.Error("two summary rows")
			}
			more = &e
		}
	}
	if len(listed) != WireShown {
		t.Errorf("%d packets listed, want %d", len(listed), WireShown)
	}
	for i := range WireFirst {
		if listed[i].Seq != uint32(1+100*i) {
			t.Fatalf("listed packet %d has Seq=%d: the first ones are not kept", i, listed[i].Seq)
		}
	}
	rst := 0
	for _, p := range listed {
		if strings.Contains(p.Flags, "RST") {
			rst++
		}
	}
	if rst != 1 {
		t.Errorf("the RST at 900 is listed %d times", rst)
	}
	if more == nil {
		t.Fatal("no summary row")
	}
	if more.Count != 1000-WireShown || more.Bytes != 999*100 || more.Dropped != 7 {
		t.Errorf("summary: %d more, %d bytes, %d lost; want %d, %d, 7", more.Count, more.Bytes, more.Dropped, 1000-WireShown, 999*100)
	}
}

// TestPickWire: the first ones, then the notable ones, then the earliest
// of the rest, never more than the limit.
func TestPickWire(t *testing.T) {
	notable := func(i int) bool { return i == 50 || i == 60 || i == 70 }
	keep := PickWire(100, notable, 3, 5)
	var got []int
	for i, k := range keep {
		if k {
			got = append(got, i)
		}
	}
	if want := []int{0, 1, 2, 50, 60}; !slicesEqual(got, want) {
		t.Errorf("picked %v, want %v", got, want)
	}
	keep = PickWire(100, func(int) bool { return false }, 3, 5)
	got = got[:0]
	for i, k := range keep {
		if k {
			got = append(got, i)
		}
	}
	if want := []int{0, 1, 2, 3, 4}; !slicesEqual(got, want) {
		t.Errorf("picked %v, want %v", got, want)
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
