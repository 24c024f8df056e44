//go:build !windows

package runner

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
)

// TestFitAnswer: the answer survey writes after an answered question stays
// on the question's line when the two fit the terminal, and otherwise goes
// on lines of its own, indented, none wider than the terminal and no word
// cut (a long prediction ran past the edge and broke mid-word).
func TestFitAnswer(t *testing.T) {
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	defer ptm.Close()
	defer tty.Close()
	pty.Setsize(ptm, &pty.Winsize{Rows: 24, Cols: 40})
	if got := fitAnswer(tty, "What next?", "Run it"); got != " Run it" {
		t.Errorf("a short answer = %q, want it after the question", got)
	}
	long := "the one bound to 0.0.0.0 at both addresses; the one bound to 127.0.0.1 only there"
	got := fitAnswer(tty, "Before it runs: what do you think will happen?", long)
	if !strings.HasPrefix(got, "\n  ") {
		t.Fatalf("a long answer = %q, want it on lines of its own", got)
	}
	lines := strings.Split(strings.TrimPrefix(got, "\n"), "\n")
	for _, l := range lines {
		if w := ansi.StringWidth(l); w >= 40 {
			t.Errorf("a line %d columns wide on a terminal of 40: %q", w, l)
		}
	}
	if words := strings.Join(strings.Fields(strings.Join(lines, " ")), " "); words != long {
		t.Errorf("the answer's words = %q, want %q", words, long)
	}
	zh := "绑定在 0.0.0.0 的那个两个地址都能连上；绑定在 127.0.0.1 的那个只能从那里连上"
	for _, l := range strings.Split(strings.TrimPrefix(fitAnswer(tty, "运行之前先猜一猜：会发生什么？", zh), "\n"), "\n") {
		if w := ansi.StringWidth(l); w >= 40 {
			t.Errorf("a line %d columns wide on a terminal of 40: %q", w, l)
		}
	}
	if got := fitAnswer(nil, "q", long); got != " "+long {
		t.Errorf("no terminal: %q", got)
	}
}

// TestAnsweredRows: a pager counts the rows an answered question took,
// as fitAnswer wrote it (a long answer on lines of its own took 2 or more,
// and compact mode lost the step's heading when it counted 1).
func TestAnsweredRows(t *testing.T) {
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	defer ptm.Close()
	defer tty.Close()
	pty.Setsize(ptm, &pty.Winsize{Rows: 24, Cols: 40})
	sp := surveyPrompter{answered: new(int)}
	a := fitAnswer(tty, "Before it runs: what do you think will happen?", "0 the first time, ECONNRESET the second")
	*sp.answered = 1 + strings.Count(a, "\n")
	if got := answeredRows(sp); got < 2 {
		t.Errorf("a long answer on lines of its own: %d rows, want 2 or more", got)
	}
	*sp.answered = 1 + strings.Count(fitAnswer(tty, "What next?", "Run it"), "\n")
	if got := answeredRows(sp); got != 1 {
		t.Errorf("a short answer: %d rows, want 1", got)
	}
	if got := answeredRows(plainPrompter{}); got != 1 {
		t.Errorf("no survey: %d rows, want 1", got)
	}
}
