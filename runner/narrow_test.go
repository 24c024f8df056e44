//go:build !windows

package runner

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

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
