package runner

import (
	"testing"

	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/wire"
)

func TestFoldWire(t *testing.T) {
	var tl lessons.Timeline
	tl = append(tl, lessons.Event{Kind: lessons.EventCall, Text: "send"})
	for i := 0; i < 8; i++ {
		tl = append(tl, lessons.Event{Kind: lessons.EventWire, Wire: &wire.Packet{Len: 10}})
	}
	tl = append(tl, lessons.Event{Kind: lessons.EventCall, Text: "recv"})
	got := foldWire(tl, 3)
	var kinds []lessons.EventKind
	for _, e := range got {
		kinds = append(kinds, e.Kind)
	}
	want := []lessons.EventKind{lessons.EventCall, lessons.EventWire, lessons.EventWire, lessons.EventWire, lessons.EventWireMore, lessons.EventCall}
	if len(kinds) != len(want) {
		t.Fatalf("kinds %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("kinds %v, want %v", kinds, want)
		}
	}
	if m := got[4]; m.Count != 5 || m.Bytes != 80 {
		t.Errorf("summary: %d packets, %d bytes; want 5, 80", m.Count, m.Bytes)
	}
	// With the session's own summary: its count and total carry over.
	tl = append(tl[:len(tl)-1], lessons.Event{Kind: lessons.EventWireMore, Count: 100, Bytes: 5000})
	got = foldWire(tl, 3)
	if m := got[len(got)-1]; m.Kind != lessons.EventWireMore || m.Count != 105 || m.Bytes != 5000 {
		t.Errorf("summary with the session's: %+v", m)
	}
	// Few packets: nothing folded.
	if got := foldWire(tl[:5], 3); len(got) != 5 {
		t.Errorf("folded %d events into %d", 5, len(got))
	}
}
