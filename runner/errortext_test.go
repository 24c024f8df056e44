package runner

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
)

// The learner's own mistakes are said wholly in their language; a lesson
// author's keep the English detail; other errors are not claimed.
func TestErrorText(t *testing.T) {
	zh := content.Text(content.Chinese)
	tests := []struct {
		err    error
		lines  int
		detail bool
	}{
		{fmt.Errorf("%q: %w", "nope.example", lessons.ErrBadHost), 1, false},
		{fmt.Errorf("port=%q: %w", "x", lessons.ErrBadPort), 1, false},
		{fmt.Errorf("binding 10.0.0.1: %w", lessons.ErrNotLocal), 1, false},
		{fmt.Errorf("socket %q is already closed: %w", "c", lessons.ErrLesson), 2, true},
		// An experiment that could not measure says why in the
		// learner's words, not in the English of its Error.
		{fmt.Errorf("experiment: %w", &lessons.LabError{Key: "exp.timeouts.err.early", Args: []any{4, "3.2"},
			Msg: "recvfrom returned 4 bytes nobody in the lesson sent, after 3.2 ms"}), 2, false},
	}
	for _, tt := range tests {
		lines, ok := ErrorText(zh, tt.err)
		if !ok || len(lines) != tt.lines {
			t.Errorf("ErrorText(%v) = %q, %v; want %d line(s)", tt.err, lines, ok, tt.lines)
			continue
		}
		if strings.Contains(lines[0], tt.err.Error()) || strings.Contains(lines[0], "«") {
			t.Errorf("ErrorText(%v): first line %q is not the catalog's Chinese sentence", tt.err, lines[0])
		}
		if got := strings.Contains(strings.Join(lines, "\n"), tt.err.Error()); got != tt.detail {
			t.Errorf("ErrorText(%v) shows the English detail: %v, want %v", tt.err, got, tt.detail)
		}
	}
	if lines, ok := ErrorText(zh, errors.New("something else")); ok {
		t.Errorf("an unknown error was claimed: %q", lines)
	}
}
