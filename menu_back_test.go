//go:build linux

package main

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestMenuWaitsBeforeRedrawing: a task chosen in the menu stays on the
// screen until the learner presses Enter; only then is the menu drawn
// again (it was drawn at once, and on a terminal of 24 rows it pushed what
// the learner was reading out of sight). In both languages.
func TestMenuWaitsBeforeRedrawing(t *testing.T) {
	for _, c := range []struct{ lang, menu, back string }{
		{"en", "pick a lesson", "Press Enter to return to the menu"},
		{"zh", "选择一课", "按回车键返回菜单"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
			defer cancel()
			run := startOnPty(t, ctx, 80, 24, nil, "--lang", c.lang, "--wire", "off")
			con, screen, cmd := run.con, run.screen, run.cmd
			if _, err := con.ExpectString(c.menu); err != nil {
				t.Fatalf("no menu: %v", err)
			}
			// survey's Select filters its options by what is typed.
			time.Sleep(300 * time.Millisecond)
			con.Send("sendall")
			time.Sleep(300 * time.Millisecond)
			con.Send("\r")
			if _, err := con.ExpectString(c.back); err != nil {
				t.Fatalf("no pause after the task: %v", err)
			}
			time.Sleep(300 * time.Millisecond)
			if s := screen.String(); !strings.Contains(s, c.back) || strings.Contains(s, c.menu) {
				t.Fatalf("the screen should end with the pause, without the menu:\n%s", s)
			}
			con.Send("\r")
			if _, err := con.ExpectString(c.menu); err != nil {
				t.Fatalf("Enter did not bring the menu back: %v", err)
			}
			time.Sleep(300 * time.Millisecond)
			con.Send("\x03")
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 130 {
				t.Fatalf("Ctrl-C in the menu: %v, want exit status 130", err)
			}
		})
	}
}
