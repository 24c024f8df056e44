package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	expect "github.com/Netflix/go-expect"
	"github.com/creack/pty"
	"github.com/hinshun/vt10x"
)

// ptyRun is sockstep started on a pseudo-terminal of its own, as a learner
// meets it: the test types on con, the terminal's screen is drawn by vt10x.
type ptyRun struct {
	con    *expect.Console
	screen vt10x.Terminal
	cmd    *exec.Cmd
}

// startOnPty starts sockstep with args on a terminal of cols×rows, with a
// progress file of the test's own, in a process group that the context's
// end kills whole. Everything drawn also goes to the writers in also.
// The console is closed when the test ends.
func startOnPty(t *testing.T, ctx context.Context, cols, rows int, also []io.Writer, args ...string) ptyRun {
	t.Helper()
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	pty.Setsize(ptm, &pty.Winsize{Rows: uint16(rows), Cols: uint16(cols)})
	screen := vt10x.New(vt10x.WithWriter(tty), vt10x.WithSize(cols, rows))
	con, err := expect.NewConsole(expect.WithStdin(ptm), expect.WithStdout(append([]io.Writer{screen}, also...)...),
		expect.WithCloser(ptm, tty), expect.WithDefaultTimeout(20*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { con.Close() })
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), "SOCKSTEP_PROGRESS="+filepath.Join(t.TempDir(), "p.json"), "TERM=xterm")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = con.Tty(), con.Tty(), con.Tty()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return ptyRun{con, screen, cmd}
}
