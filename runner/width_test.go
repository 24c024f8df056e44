//go:build !windows

package runner

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
)

// shortBeforeLong finds paragraph lines that stop far short of the width
// although the next line of the same paragraph goes on: text that kept its
// source's line breaks instead of being reflowed. Code, tables, lists and
// the lines of the run's reports are left out (they are not paragraphs).
func shortBeforeLong(out string, width int) []string {
	lines := strings.Split(ansi.Strip(out), "\n")
	var bad []string
	prose := func(l string) bool {
		t := strings.TrimLeft(l, " ")
		indent := len(l) - len(t)
		first := []rune(t + " ")[0]
		return indent == 2 && t != "" && !strings.ContainsRune("#•│─|▶✓✗$[", first) && !strings.Contains(t, "│") &&
			!(first >= '0' && first <= '9')
	}
	for i := 0; i+1 < len(lines); i++ {
		a, b := lines[i], lines[i+1]
		if !prose(a) || !prose(b) {
			continue
		}
		next := strings.Fields(b)[0]
		if ansi.StringWidth(a)+1+ansi.StringWidth(next) <= width && !strings.HasSuffix(a, ":") {
			bad = append(bad, a+" ⏎ "+b)
		}
	}
	return bad
}

// TestWidth60 shows and runs every lesson at 60 columns in both
// languages: no line is wider, and paragraphs are reflowed to the width.
func TestWidth60(t *testing.T) {
	var sw sweep
	for _, lang := range content.Langs {
		ls, err := content.Builtin(lang, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			sw.add(string(lang)+"/"+l.ID, func(t *testing.T) {
				var show, run bytes.Buffer
				r, err := New(Options{Lang: lang, Out: &show, Width: 60})
				if err != nil {
					t.Fatal(err)
				}
				if err := r.Show(l); err != nil {
					t.Fatal(err)
				}
				r, err = New(Options{Lang: lang, Out: &run, Width: 60, Session: lessons.Config{Port: sockettest.FreePort(t)}, StepWait: 5 * time.Second})
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				defer cancel()
				if err := r.Run(ctx, l); err != nil {
					t.Fatal(err)
				}
				for name, out := range map[string]string{"show": show.String(), "run": run.String()} {
					for _, line := range strings.Split(out, "\n") {
						if w := ansi.StringWidth(line); w > 60 {
							t.Errorf("%s: line %d columns wide: %q", name, w, line)
						}
					}
					if name != "show" {
						continue // a run's reports are lines, not paragraphs
					}
					for _, p := range shortBeforeLong(out, 60) {
						t.Errorf("%s: a paragraph line stops short: %q", name, p)
					}
				}
			})
		}
	}
	sw.run(t, 6)
}

// TestResizeAtNextStep: a terminal made narrower during a lesson is
// honoured from the next step: its text is wrapped to the new width.
func TestResizeAtNextStep(t *testing.T) {
	var out bytes.Buffer
	width := 100
	r, err := New(Options{Lang: content.English, Out: &out, Width: 100, TermWidth: func() int { return width },
		Session: lessons.Config{Port: sockettest.FreePort(t)}, StepWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	r.prompt = resizePrompter{func() { width = 60 }}
	if err := r.Run(context.Background(), lesson(t, content.English, "udp-recv")); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	i := strings.Index(s, "Step 2 of 6")
	if i < 0 {
		t.Fatalf("no step 2:\n%s", s)
	}
	wide := 0
	for _, line := range strings.Split(s[:i], "\n") {
		wide = max(wide, ansi.StringWidth(line))
	}
	if wide <= 60 {
		t.Errorf("before the resize no line is wider than 60 columns (%d): the test shows nothing", wide)
	}
	for _, line := range strings.Split(s[i:], "\n") {
		if w := ansi.StringWidth(line); w > 60 {
			t.Errorf("after the resize, a line %d columns wide: %q", w, line)
		}
	}
}

// resizePrompter answers like a plain run, and narrows the terminal at
// the first question.
type resizePrompter struct{ resize func() }

func (p resizePrompter) choose(ctx context.Context, _ string, _ []any, _ []string, def string) (string, error) {
	p.resize()
	return def, ctx.Err()
}

func (p resizePrompter) input(ctx context.Context, _ string, _ []any, def string) (string, error) {
	return def, ctx.Err()
}
