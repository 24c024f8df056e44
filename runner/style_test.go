//go:build !windows

package runner

import (
	"context"
	"strings"
	"testing"

	"github.com/muesli/termenv"
	"github.com/sockstep/sockstep/content"
)

// The ANSI colours that are faint on a white background: green, yellow
// and cyan foregrounds.
var faintOnWhite = []string{"\x1b[32m", "\x1b[33m", "\x1b[36m", "\x1b[32;", "\x1b[33;", "\x1b[36;"}

// TestLightStyleColours checks that every colour sockstep paints follows
// the style: the light style uses none of the colours that vanish on
// white, and the dark style keeps the terminal's own.
func TestLightStyleColours(t *testing.T) {
	roles := []color{colorOK, colorErr, colorDim, colorCode, colorData, colorState, colorHead}
	for _, tc := range []struct {
		style     string
		wantFaint bool
	}{{"light", false}, {"dark", true}} {
		r := &Runner{opts: Options{Style: tc.style, Profile: termenv.ANSI256}}
		var all strings.Builder
		for _, c := range roles {
			all.WriteString(r.paint(c, "x"))
		}
		faint := false
		for _, f := range faintOnWhite {
			faint = faint || strings.Contains(all.String(), f)
		}
		if faint != tc.wantFaint {
			t.Errorf("style %s: uses a faint-on-white colour = %v, want %v (%q)", tc.style, faint, tc.wantFaint, all.String())
		}
	}
}

// TestLightStyleSurvey draws a survey prompt in the light style and checks
// the raw bytes: no cyan answer or hint, no bright green question mark.
func TestLightStyleSurvey(t *testing.T) {
	if err := localiseSelectHint(); err != nil {
		t.Fatal(err)
	}
	for _, style := range []string{"light", "dark"} {
		c, stdio := newConsole(t)
		p := surveyPrompter{cat: content.Text(content.English), stdio: stdio, style: style}
		done := make(chan error, 1)
		go func() {
			_, err := p.choose(context.Background(), "prompt.what-next", nil, []string{choiceRun, choiceExplain}, choiceRun)
			done <- err
		}()
		out, err := c.ExpectString(selectHint)
		if err != nil {
			t.Fatal(err)
		}
		c.waitRaw()
		c.send(keyEnter)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		hasCyan := strings.Contains(out, "\x1b[36m") || strings.Contains(out, "\x1b[0;36m")
		if style == "light" && hasCyan {
			t.Errorf("light style: the prompt is drawn in cyan: %q", out)
		}
		if style == "dark" && !hasCyan {
			t.Errorf("dark style: the prompt lost its cyan hint: %q", out)
		}
	}
}
