//go:build linux

package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"
)

// TestSignalAtPrompt sends SIGTERM and SIGHUP to a lesson waiting at a
// survey prompt on a terminal: survey reads the terminal and no signal
// wakes it, so sockstep exits by itself shortly after, and must still
// write the --record transcript it promised, ending with a line that says
// it was interrupted, in the lesson's language.
func TestSignalAtPrompt(t *testing.T) {
	for _, c := range []struct {
		sig  syscall.Signal
		code int
		lang string
		want string
	}{
		{syscall.SIGTERM, 143, "en", "Interrupted"},
		{syscall.SIGHUP, 129, "zh", "已中断"},
	} {
		t.Run(c.sig.String(), func(t *testing.T) {
			record := filepath.Join(t.TempDir(), "class.md")
			ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
			defer cancel()
			run := startOnPty(t, ctx, 100, 40, nil, "run", "udp-recv", "--lang", c.lang, "--record", record)
			con, cmd := run.con, run.cmd
			// The prompt's hint appears once survey has drawn it.
			hint := map[string]string{"en": "Enter to choose", "zh": "回车选择"}[c.lang]
			if _, err := con.ExpectString(hint); err != nil {
				t.Fatalf("no prompt: %v", err)
			}
			time.Sleep(300 * time.Millisecond)
			cmd.Process.Signal(c.sig)
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != c.code {
				t.Fatalf("exit %v, want status %d", err, c.code)
			}
			data, err := os.ReadFile(record)
			if err != nil {
				t.Fatalf("no transcript after %v at a prompt: %v", c.sig, err)
			}
			if !strings.Contains(string(data), c.want) {
				t.Errorf("the transcript does not say it was interrupted (%q):\n%s", c.want, data)
			}
		})
	}
}

// TestAutoOnATerminalFitsIt: --auto on a terminal of 60 columns prints
// plain text no wider than the terminal, in both languages (it took 80
// columns whatever the terminal, and the terminal broke every long line
// mid-word).
func TestAutoOnATerminalFitsIt(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			out := onNarrowTerminal(t, 60, "run", "nonblocking", "--auto", "--lang", lang)
			lines := strings.Split(out, "\n")
			done := map[string]string{"en": "Lesson finished", "zh": "本课完成"}[lang]
			if len(lines) < 50 || !strings.Contains(out, done) {
				t.Fatalf("the lesson did not run to its end (%d lines):\n%s", len(lines), out)
			}
			for _, l := range lines {
				if w := runewidth.StringWidth(ansi.Strip(l)); w > 60 {
					t.Errorf("a line %d columns wide on a 60-column terminal: %q", w, l)
				}
			}
		})
	}
}
