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

// compactRows is what a screen of an 80×24 terminal leaves for sockstep:
// survey's Select ("? What next?" and four or five answers) takes six rows.
const compactRows = 24 - 6

// TestCompactScreens runs every lesson with --compact as on a terminal
// (screens cleared between the parts of a step) and measures each screen:
// none is wider than 80 columns, and a step's results fit on one screen.
// How many explanation screens are longer than a projector shows is
// reported, not failed: the words are the lesson author's to shorten.
func TestCompactScreens(t *testing.T) {
	var sw sweep
	for _, lang := range content.Langs {
		ls, err := content.Builtin(lang, content.KindLesson)
		if err != nil {
			t.Fatal(err)
		}
		exps, err := content.Builtin(lang, content.KindExperiment)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range append(ls, exps...) {
			sw.add(string(lang)+"/"+l.ID, func(t *testing.T) {
				var out bytes.Buffer
				r, err := New(Options{Lang: lang, Out: &out, Width: 120, Compact: true, Terminal: true,
					Style: "notty", Session: lessons.Config{Port: sockettest.FreePort(t)}, StepWait: 5 * time.Second})
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				defer cancel()
				if err := r.Run(ctx, l); err != nil {
					t.Fatalf("%v\n%s", err, tail(out.String(), 2000))
				}
				screens := strings.Split(out.String(), clearSeq)[1:]
				// Two per step, and one more for the whole timeline of a
				// lesson with two parties.
				if n := len(screens); n != 2*len(l.Steps) && n != 2*len(l.Steps)+1 {
					t.Fatalf("%d screens for %d steps, want two per step (and one for the timeline)", len(screens), len(l.Steps))
				}
				long := 0
				for i, sc := range screens {
					lines := strings.Split(strings.TrimRight(sc, "\n"), "\n")
					for _, line := range lines {
						if w := ansi.StringWidth(line); w > 80 {
							t.Errorf("screen %d: line %d columns wide: %q", i+1, w, line)
						}
					}
					if i >= 2*len(l.Steps)-1 {
						continue // the lesson's summary, the whole timeline: paged on a terminal (TestScreens80x24)
					}
					if i%2 == 1 && len(lines) > compactRows+6 { // results: no prompt below them
						// On a terminal the pager continues them on a new
						// screen after a pause (TestScreens80x24 checks
						// nothing scrolls away); here it is only counted.
						t.Logf("step %d: results take %d rows, more than 24: paged", i/2+1, len(lines))
					}
					if i%2 == 0 && len(lines) > compactRows {
						long++
					}
				}
				t.Logf("%d of %d explanation screens need more than %d rows", long, len(l.Steps), compactRows)
			})
		}
	}
	sw.run(t, 6)
}
