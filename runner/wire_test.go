package runner

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/sockstep/sockstep/content"

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

// wireSample is a SYN, its SYN-ACK and an ICMP port unreachable as a
// capture decodes them, with the fields every line must keep whole.
func wireSample() (lessons.Timeline, []string) {
	c := netip.MustParseAddrPort("127.0.0.1:39810")
	s := netip.MustParseAddrPort("127.0.0.1:63042")
	opts := &wire.SynOptions{MSS: 65495, WScale: 10, SACKPerm: true, TS: true}
	syn := &wire.Packet{Proto: wire.TCP, Src: c, Dst: s, Flags: "SYN", Win: 65495, ISN: 1018059584, Opts: opts, Relative: true}
	synAck := &wire.Packet{Proto: wire.TCP, Src: s, Dst: c, Flags: "SYN-ACK", Ack: 1, Win: 65483, ISN: 2224247988, Opts: opts, Relative: true}
	icmp := &wire.Packet{Proto: wire.ICMP, Src: netip.AddrPortFrom(s.Addr(), 0), Dst: netip.AddrPortFrom(c.Addr(), 0),
		Quoted: &wire.Quote{Proto: wire.UDP, Src: netip.MustParseAddrPort("127.0.0.1:38186"), Dst: s}}
	tl := lessons.Timeline{
		{Kind: lessons.EventWire, Side: lessons.Client, Wire: syn},
		{Kind: lessons.EventWire, Side: lessons.Server, Wire: synAck, Gap: 42300 * time.Microsecond},
		{Kind: lessons.EventWire, Side: lessons.Server, Wire: icmp},
	}
	fields := []string{"SYN", "Seq=0", "Win=65495", "Len=0", "ISN=1018059584", "MSS=65495", "WS=1024", "SACK_PERM", "TS",
		"SYN-ACK", "Ack=1", "Win=65483", "ISN=2224247988", "38186", "63042", "127.0.0.1:39810", "127.0.0.1:63042"}
	return tl, fields
}

// TestWireLinesWhole: at 60 and 80 columns, in both languages, the
// packet lists and the two-party timeline (compact too) keep every field
// of a SYN and of an ICMP port unreachable whole: a line too long goes on
// under itself, nothing is cut.
func TestWireLinesWhole(t *testing.T) {
	tl, fields := wireSample()
	for _, lang := range content.Langs {
		cat := content.Text(lang)
		icmp := cat.T("wire.unreachable", 38186, 63042)
		gap := cat.T("wire.gap", "42.3")
		for _, width := range []int{60, 80} {
			for _, compact := range []bool{false, true} {
				r, err := New(Options{Lang: lang, Width: width, Compact: compact})
				if err != nil {
					t.Fatal(err)
				}
				for name, out := range map[string]string{
					"list":     r.packetList(tl, width),
					"timeline": r.timelineAt(tl, nil, false, width),
				} {
					plain := ansi.Strip(out)
					for _, line := range strings.Split(plain, "\n") {
						if w := ansi.StringWidth(line); w > width {
							t.Errorf("%s %s at %d: a line of %d columns: %q", lang, name, width, w, line)
						}
					}
					if strings.Contains(plain, "…") {
						t.Errorf("%s %s at %d: something is cut:\n%s", lang, name, width, plain)
					}
					words := strings.Fields(plain)
					for _, f := range append(fields, strings.Fields(icmp)...) {
						if name == "timeline" && strings.HasPrefix(f, "127.") {
							continue // the columns name the sides
						}
						if !slices.Contains(words, f) {
							t.Errorf("%s %s at %d columns (compact %v) lacks %q:\n%s", lang, name, width, compact, f, plain)
						}
					}
					if !strings.Contains(strings.Join(words, " "), gap) {
						t.Errorf("%s %s at %d: no %q after the SYN-ACK:\n%s", lang, name, width, gap, plain)
					}
				}
			}
		}
	}
}

// TestWireMoreDropped: a step's summary says how many packets were left
// out and how many the capture lost.
func TestWireMoreDropped(t *testing.T) {
	r, err := New(Options{Lang: content.English, Width: 80})
	if err != nil {
		t.Fatal(err)
	}
	out := ansi.Strip(r.packetList(lessons.Timeline{{Kind: lessons.EventWireMore, Count: 5, Bytes: 100, Dropped: 3}}, 80))
	for _, want := range []string{r.cat.T("wire.more", 5, 100), r.cat.T("wire.dropped", 3)} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

// TestWireHintKey: off Linux the hint names what can watch loopback
// there, not setcap.
func TestWireHintKey(t *testing.T) {
	for goos, want := range map[string]string{"linux": "wire.hint", "darwin": "wire.hint-lo0", "freebsd": "wire.hint-lo0", "windows": "wire.hint-other"} {
		if got := wireHintKey(goos); got != want {
			t.Errorf("%s: %s, want %s", goos, got, want)
		}
	}
	for _, lang := range content.Langs {
		cat := content.Text(lang)
		if s := cat.T("wire.hint-lo0"); strings.Contains(s, "setcap") || !strings.Contains(s, "tcpdump -i lo0") {
			t.Errorf("%s: macOS hint %q", lang, s)
		}
	}
}
