//go:build linux

package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestClosedTerminalAtPrompt closes the terminal (the pty's master side,
// as tmux kill-pane or a closed window does) while a lesson, or the menu,
// waits at a prompt. survey's read of the terminal then fails with EIO,
// usually before the SIGHUP arrives; the run must still end as a hang-up:
// status 129, "interrupted" on stderr and in the --record transcript, not
// status 1 and "read /dev/stdin: input/output error". With the terminal
// as sockstep's controlling terminal the kernel sends SIGHUP (tty_vhangup);
// without (no signal at all) the EIO alone says the terminal is gone.
func TestClosedTerminalAtPrompt(t *testing.T) {
	for _, c := range []struct {
		name     string
		lang     string
		args     []string
		ctty     bool // the terminal is sockstep's controlling terminal
		record   bool
		hint     string
		said     string // on stderr
		recorded string // in the transcript
	}{
		{"lesson-en-sighup", "en", []string{"run", "udp-recv"}, true, true, "Enter to choose", "Interrupted", "interrupted here"},
		{"lesson-zh-sighup", "zh", []string{"run", "udp-recv"}, true, true, "回车选择", "已中断", "被中断"},
		{"lesson-en-nosignal", "en", []string{"run", "udp-recv"}, false, true, "Enter to choose", "Interrupted", "interrupted here"},
		{"lesson-zh-nosignal", "zh", []string{"run", "udp-recv"}, false, true, "回车选择", "已中断", "被中断"},
		{"menu-en-sighup", "en", nil, true, false, "Enter to choose", "Interrupted", ""},
		{"menu-zh-sighup", "zh", nil, true, false, "回车选择", "已中断", ""},
		{"menu-en-nosignal", "en", nil, false, false, "Enter to choose", "Interrupted", ""},
		{"menu-zh-nosignal", "zh", nil, false, false, "回车选择", "已中断", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			ptm, tty, err := pty.Open()
			if err != nil {
				t.Fatalf("no pseudo-terminal: %v", err)
			}
			defer tty.Close()
			pty.Setsize(ptm, &pty.Winsize{Rows: 40, Cols: 100})
			dir := t.TempDir()
			record := filepath.Join(dir, "class.md")
			args := append([]string{"--lang", c.lang}, c.args...)
			if c.record {
				args = append(args, "--record", record)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, binary, args...)
			cmd.Env = append(os.Environ(), "SOCKSTEP_PROGRESS="+filepath.Join(dir, "p.json"), "TERM=xterm")
			var stderr bytes.Buffer
			cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, &stderr
			cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: c.ctty}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			tty.Close()
			var seen strings.Builder
			buf := make([]byte, 4096)
			for !strings.Contains(seen.String(), c.hint) {
				n, err := ptm.Read(buf)
				if err != nil {
					t.Fatalf("no prompt: %v\n%s", err, seen.String())
				}
				seen.Write(buf[:n])
			}
			time.Sleep(300 * time.Millisecond)
			ptm.Close() // the terminal goes away
			err = cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 129 {
				t.Errorf("exit %v, want status 129; stderr:\n%s", err, stderr.String())
			}
			if s := stderr.String(); !strings.Contains(s, c.said) || strings.Contains(s, "input/output") {
				t.Errorf("stderr does not say the run was interrupted (%q):\n%s", c.said, s)
			}
			if !c.record {
				return
			}
			data, err := os.ReadFile(record)
			if err != nil {
				t.Fatalf("no transcript: %v", err)
			}
			if !strings.Contains(string(data), c.recorded) {
				t.Errorf("the transcript does not say it was interrupted (%q):\n%s", c.recorded, data[max(0, len(data)-300):])
			}
		})
	}
}
