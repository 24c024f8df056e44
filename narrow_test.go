//go:build linux

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
	"github.com/mattn/go-runewidth"
)

// onNarrowTerminal runs sockstep with its three streams on a terminal of
// cols columns and returns everything it wrote.
func onNarrowTerminal(t *testing.T, cols int, args ...string) string {
	t.Helper()
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	defer ptm.Close()
	pty.Setsize(ptm, &pty.Winsize{Rows: 24, Cols: uint16(cols)})
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), "SOCKSTEP_PROGRESS="+filepath.Join(t.TempDir(), "p.json"), "TERM=xterm")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	var out strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := ptm.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			break // EIO once the program has closed the terminal
		}
	}
	cmd.Wait() // the exit status is not what these tests look at
	return strings.ReplaceAll(out.String(), "\r\n", "\n")
}

// TestTextFitsNarrowTerminals: what a command prints on a terminal of 60
// or 40 columns is filled to its width (no line left for the terminal to
// cut mid-word): the step vocabulary (`sockstep steps`, 56 lines too
// wide in English at 60 columns before), and the messages of cli.fail and
// usageError (an unknown lesson and the list of lessons, a --host warning).
func TestTextFitsNarrowTerminals(t *testing.T) {
	for _, tc := range []struct {
		cols int
		args []string
		want string // a word of the output, so that an empty one fails
	}{
		{60, []string{"steps", "--lang", "en"}, "sendto"},
		{60, []string{"steps", "--lang", "zh"}, "sendto"},
		{40, []string{"run", "no-such-lesson", "--lang", "en"}, "tcp-server"},
		{40, []string{"run", "no-such-lesson", "--lang", "zh"}, "tcp-server"},
		{40, []string{"run", "udp-recv", "--host", "0.0.0.0", "--port", "70000", "--lang", "en"}, "70000"},
		{60, []string{"run", "--lang", "en"}, "sockstep"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out := onNarrowTerminal(t, tc.cols, tc.args...)
			if !strings.Contains(out, tc.want) {
				t.Fatalf("no %q in:\n%s", tc.want, out)
			}
			for _, l := range strings.Split(out, "\n") {
				if w := runewidth.StringWidth(ansi.Strip(l)); w > tc.cols {
					t.Errorf("a line %d columns wide on a %d-column terminal: %q", w, tc.cols, l)
				}
			}
		})
	}
}
