package runner

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
)

// TestShortenCall: a timeline cell shortens the call, never its result.
func TestShortenCall(t *testing.T) {
	tests := []struct {
		text  string
		width int
		want  string
	}{
		{"connect(9, 127.0.0.1:47185) → ECONNREFUSED", 60, "connect(9, 127.0.0.1:47185) → ECONNREFUSED"},
		{"connect(9, 127.0.0.1:47185) → ECONNREFUSED", 38, "connect(9, 127.0.0.1:…) → ECONNREFUSED"},
		{"connect(9, 127.0.0.1:47185) → ECONNREFUSED", 28, "connect(9, …) → ECONNREFUSED"},
		{"connect(9, 127.0.0.1:47185) → ECONNREFUSED", 26, "connect(9…) → ECONNREFUSED"},
		{"connect(9, 127.0.0.1:47185) → ECONNREFUSED", 25, "connect(…) → ECONNREFUSED"},
		{"connect(9, 127.0.0.1:47185) → ECONNREFUSED", 20, "conn… → ECONNREFUSED"},
		{"connect(9, 127.0.0.1:47185) → ECONNREFUSED", 18, "co… → ECONNREFUSED"},
		{"connect(9, 127.0.0.1:47185) → ECONNREFUSED", 12, "→ ECONNREFU…"},
		{"send(4, \"hello\") → 5", 10, "send → 5"},
		{"recv(4, 1024) → 5 \"hello\"", 20, "recv(4…) → 5 \"hello\""},
		{"listen(3, 128)", 10, "listen(3,…"},
	}
	for _, tt := range tests {
		got := shortenCall(tt.text, tt.width)
		if got != tt.want {
			t.Errorf("shortenCall(%q, %d) = %q, want %q", tt.text, tt.width, got, tt.want)
		}
		if w := ansi.StringWidth(got); w > tt.width {
			t.Errorf("shortenCall(%q, %d) is %d columns wide", tt.text, tt.width, w)
		}
		if i := strings.Index(tt.text, " → "); i >= 0 && tt.width >= 17 && !strings.HasSuffix(got, tt.text[i:]) {
			t.Errorf("shortenCall(%q, %d) = %q lost the result", tt.text, tt.width, got)
		}
	}
}

// TestTimelineNarrow: at the widths of a projector (60 columns) and of a
// classroom pane (40), every row fits, each result and each state it
// enters is whole (issue 14 item 8: shorten the call, not the result),
// and the headings fit their column even when the learner plays a side
// from another terminal. Under oneColumnBelow the rows are led by their
// side instead of standing in its column.
func TestTimelineNarrow(t *testing.T) {
	events := lessons.Timeline{
		{Side: lessons.Client, Kind: lessons.EventCall, Text: "connect(9, 127.0.0.1:47185) → ECONNREFUSED"},
		{Side: lessons.Client, Kind: lessons.EventPacket, Text: "SYN"},
		{Side: lessons.Server, Kind: lessons.EventPacket, Text: "RST"},
		{Side: lessons.Client, Kind: lessons.EventState, From: "SYN_SENT", To: "ESTABLISHED"},
		{Side: lessons.Server, Kind: lessons.EventCall, Text: "accept(3) → fd 4, 127.0.0.1:52814"},
		{Side: lessons.Client, Kind: lessons.EventCall, Text: "send(5, \"hello\") → 5"},
		{Side: lessons.Client, Kind: lessons.EventPacket, Text: "data", Bytes: 5},
		{Side: lessons.Client, Kind: lessons.EventState, From: "FIN_WAIT2", To: "TIME_WAIT"},
	}
	socks := []*lessons.Socket{
		{Name: "cli", Side: lessons.Client},
		{Name: "srv", Side: lessons.Server, External: true},
	}
	whole := []string{"ECONNREFUSED", "ESTABLISHED]", "127.0.0.1:52814", "→ 5", "TIME_WAIT]"}
	for _, lang := range content.Langs {
		for _, width := range []int{40, 60, 80} {
			r, err := New(Options{Lang: lang, Width: width})
			if err != nil {
				t.Fatal(err)
			}
			got := r.timelineAt(events, socks, true, width)
			for _, line := range strings.Split(strings.TrimRight(got, "\n"), "\n") {
				if w := ansi.StringWidth(line); w > width {
					t.Errorf("%s at %d: a row %d columns wide: %q", lang, width, w, line)
				}
				if strings.HasSuffix(line, "…") {
					t.Errorf("%s at %d: a row is cut: %q", lang, width, line)
				}
			}
			for _, s := range whole {
				if !strings.Contains(got, s) {
					t.Errorf("%s at %d: %q is not whole in\n%s", lang, width, s, got)
				}
			}
			lead := "  " + r.cat.T("timeline.client-short") + " "
			if one := width-2 < oneColumnBelow; one != strings.Contains(got, lead+"connect(") {
				t.Errorf("%s at %d: want one column: %v, got:\n%s", lang, width, one, got)
			}
		}
	}
}
