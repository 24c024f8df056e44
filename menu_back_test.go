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

	expect "github.com/Netflix/go-expect"
	"github.com/creack/pty"
	"github.com/hinshun/vt10x"
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
			ptm, tty, err := pty.Open()
			if err != nil {
				t.Fatalf("no pseudo-terminal: %v", err)
			}
			pty.Setsize(ptm, &pty.Winsize{Rows: 24, Cols: 80})
			screen := vt10x.New(vt10x.WithWriter(tty), vt10x.WithSize(80, 24))
			con, err := expect.NewConsole(expect.WithStdin(ptm), expect.WithStdout(screen),
				expect.WithCloser(ptm, tty), expect.WithDefaultTimeout(20*time.Second))
			if err != nil {
				t.Fatal(err)
			}
			defer con.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, binary, "--lang", c.lang, "--wire", "off")
			cmd.Env = append(os.Environ(), "SOCKSTEP_PROGRESS="+filepath.Join(t.TempDir(), "p.json"), "TERM=xterm")
			cmd.Stdin, cmd.Stdout, cmd.Stderr = con.Tty(), con.Tty(), con.Tty()
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
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
			err = cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 130 {
				t.Fatalf("Ctrl-C in the menu: %v, want exit status 130", err)
			}
		})
	}
}
