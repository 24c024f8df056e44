package runner

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
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
		{"connect(9, 127.0.0.1:47185) → ECONNREFUSED", 12, "connect(…) …"},
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
		if i := strings.Index(tt.text, " → "); i >= 0 && tt.width >= 28 && !strings.HasSuffix(got, tt.text[i:]) {
			t.Errorf("shortenCall(%q, %d) = %q lost the result", tt.text, tt.width, got)
		}
	}
}
