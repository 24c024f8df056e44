//go:build !windows

package runner

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
)

// screen returns what the emulated terminal shows, one string a row
// (String locks the emulator itself).
func (c *console) screen() []string {
	return strings.Split(c.term.String(), "\n")
}

// TestCountdownFitsNarrowScreens: a presenter's countdown is rewritten in
// place ten times a second; wider than the screen, each rewrite wrapped
// and left a copy above it, until the copies pushed the step off. At 60
// and 40 columns (a classroom pane) it must stay one line.
func TestCountdownFitsNarrowScreens(t *testing.T) {
	for _, tc := range []struct {
		lang       content.Lang
		cols       int
		start, ago string // the countdown's first words, and a later second
	}{
		{content.English, 60, "next step in", "next step in 59 s"},
		{content.English, 40, "next step in", "next step in 59 s"},
		{content.Chinese, 60, "秒后下一步", "59 秒后下一步"},
		{content.Chinese, 40, "秒后下一步", "59 秒后下一步"},
	} {
		t.Run(fmt.Sprintf("%s/%d", tc.lang, tc.cols), func(t *testing.T) {
			c, stdio := newConsoleSize(t, tc.cols, 24)
			r, err := New(Options{Lang: tc.lang, Mode: Presenter, Delay: time.Minute, Terminal: true,
				Stdio: stdio, Out: stdio.Out, Width: tc.cols, TermWidth: func() int { return tc.cols },
				Style: "light", Profile: termenv.ANSI256, Session: lessons.Config{Port: sockettest.FreePort(t)}})
			if err != nil {
				t.Fatal(err)
			}
			done := runAsync(context.Background(), r, lesson(t, tc.lang, "udp-recv"))
			c.expectString(tc.ago) // ten rewrites at least
			rows := c.screen()
			c.waitRaw()
			c.send("q")
			if err := wait(t, done); err != nil && err != ErrQuit {
				t.Errorf("Run = %v", err)
			}
			n := 0
			for _, row := range rows {
				if strings.Contains(row, tc.start) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("the countdown is on %d rows, want 1; the screen:\n%s", n, strings.Join(rows, "\n"))
			}
		})
	}
}

// TestMenuFitsNarrowScreens: the lesson menu at 60 and 40 columns. Entries
// wider than the screen wrapped, the menu grew taller than the screen
// (its question scrolled off the top), and survey, which redraws by
// moving up, left a copy of the menu behind at every ↓. Every entry must
// fit its row, so that after a few ↓ and Enter the menu is gone and the
// answer line is on screen once. The hint after the question is left out
// when the line would wrap.
func TestMenuFitsNarrowScreens(t *testing.T) {
	if err := localiseSelectHint(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang content.Lang
		cols int
	}{{content.English, 60}, {content.Chinese, 60}, {content.English, 40}, {content.Chinese, 40}} {
		t.Run(fmt.Sprintf("%s/%d", tc.lang, tc.cols), func(t *testing.T) {
			ls, err := content.Builtin(tc.lang, "")
			if err != nil {
				t.Fatal(err)
			}
			exs, err := content.Exercises(tc.lang)
			if err != nil {
				t.Fatal(err)
			}
			items := append(Items(ls, nil), Items(exs, map[string]bool{exs[0].ID: true})...)
			c, stdio := newConsoleSize(t, tc.cols, 24)
			r, err := New(Options{Lang: tc.lang, Mode: Interactive, Terminal: true, Stdio: stdio, Out: stdio.Out,
				Width: tc.cols, TermWidth: func() int { return tc.cols }, Style: "dark", Profile: termenv.ANSI256})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if w := ansi.StringWidth(r.menuLabel(it, tc.cols-3)); w > tc.cols-3 {
					t.Errorf("entry %q is %d columns wide", r.menuLabel(it, tc.cols-3), w)
				}
			}
			type answer struct {
				it  MenuItem
				err error
			}
			done := make(chan answer, 1)
			go func() {
				it, _, err := r.Menu(context.Background(), items)
				done <- answer{it, err}
			}()
			title := r.cat.T("menu.title")
			c.expectString(title)
			c.waitRaw()
			c.send(strings.Repeat(keyDown, 3) + keyEnter)
			var got answer
			select {
			case got = <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("the menu did not return")
			}
			if got.err != nil || got.it.ID != items[3].ID {
				t.Fatalf("Menu = %q, %v; want %q", got.it.ID, got.err, items[3].ID)
			}
			// A mark after survey's last write: once it is read, so is the
			// answer line.
			fmt.Fprint(stdio.Out, "\r\nMENU-DONE")
			c.expectString("MENU-DONE")
			rows := c.screen()
			questions, firsts := 0, 0
			for _, row := range rows {
				if strings.Contains(row, title) {
					questions++
				}
				if strings.Contains(row, " "+items[0].ID+" ") {
					firsts++
				}
			}
			if questions != 1 || firsts != 0 {
				t.Errorf("after the answer, the question is on %d rows (want 1) and the first entry on %d (want 0); the screen:\n%s",
					questions, firsts, strings.Join(rows, "\n"))
			}
		})
	}
}

// TestHintFits: survey's hint follows the question on its line; it is
// left out when the line would wrap (at 80 columns after a long question),
// and kept when it fits.
func TestHintFits(t *testing.T) {
	_, stdio := newConsoleSize(t, 80, 24)
	hint := content.Text(content.English).T("prompt.select-hint")
	if got := fitHint(stdio.Out, "What next?", hint); got != hint {
		t.Errorf("short question: hint %q, want %q", got, hint)
	}
	long := "Which socket do you think receives the datagram first, and why?"
	if got := fitHint(stdio.Out, long, hint); got != "" {
		t.Errorf("long question at 80 columns: hint %q, want none", got)
	}
}
