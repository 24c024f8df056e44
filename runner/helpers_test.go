//go:build !windows

package runner

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/AlecAivazis/survey/v2/terminal"
	expect "github.com/Netflix/go-expect"
	"github.com/creack/pty"
	"github.com/hinshun/vt10x"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
	"golang.org/x/sys/unix"
)

// lesson loads a built-in lesson or fails the test.
func lesson(t *testing.T, lang content.Lang, id string) *content.Lesson {
	t.Helper()
	all, err := content.Builtin(lang, "")
	if err != nil {
		t.Fatalf("lesson %s/%s: %v", lang, id, err)
	}
	for _, l := range all {
		if l.ID == id {
			return l
		}
	}
	t.Fatalf("no lesson %s/%s", lang, id)
	return nil
}

// plainRun runs a lesson with the plain front end and returns its output.
func plainRun(t *testing.T, lang content.Lang, id string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	r, err := New(Options{Lang: lang, Out: &out, Width: 80,
		Session: lessons.Config{Port: sockettest.FreePort(t)}, StepWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err = r.Run(ctx, lesson(t, lang, id))
	if err == nil {
		checkProse(t, lesson(t, lang, id), r, out.String())
	}
	return out.String(), err
}

// console is a pseudo-terminal with a terminal emulator on the far side,
// as survey's own tests use: vt10x answers the cursor-position queries that
// survey sends, which a bare pty never would (survey would block forever).
type console struct {
	*expect.Console
	t    *testing.T
	term vt10x.Terminal // the screen, as the emulator holds it
}

func newConsole(t *testing.T) (*console, terminal.Stdio) {
	t.Helper()
	return openConsole(t, 100, 50, false)
}

// newConsoleSize is newConsole with a screen of cols×rows whose terminal
// says so (TIOCGWINSZ): the size is set on the pty the program writes to,
// go-expect's own, so survey and the runner read it as they would a
// real terminal's.
func newConsoleSize(t *testing.T, cols, rows int) (*console, terminal.Stdio) {
	t.Helper()
	return openConsole(t, cols, rows, true)
}

func openConsole(t *testing.T, cols, rows int, sized bool) (*console, terminal.Stdio) {
	t.Helper()
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Skipf("cannot open a pseudo-terminal here: %v", err)
	}
	if err := pty.Setsize(ptm, &pty.Winsize{Rows: uint16(rows), Cols: uint16(cols)}); err != nil {
		t.Fatal(err)
	}
	term := vt10x.New(vt10x.WithWriter(tty), vt10x.WithSize(cols, rows))
	c, err := expect.NewConsole(expect.WithStdin(ptm), expect.WithStdout(term),
		expect.WithCloser(ptm, tty), expect.WithDefaultTimeout(15*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if sized {
		if err := pty.Setsize(c.Tty(), &pty.Winsize{Rows: uint16(rows), Cols: uint16(cols)}); err != nil {
			t.Fatal(err)
		}
	}
	return &console{c, t, term}, terminal.Stdio{In: c.Tty(), Out: c.Tty(), Err: c.Tty()}
}

func (c *console) expectString(s string) {
	c.t.Helper()
	if out, err := c.ExpectString(s); err != nil {
		c.t.Errorf("waiting for %q: %v\nscreen so far (tail):\n%s", s, err, tail(out, 1500))
	}
}

func (c *console) send(s string) {
	c.t.Helper()
	if _, err := c.Send(s); err != nil {
		c.t.Errorf("send %q: %v", s, err)
	}
}

// choose waits until a survey Select is on screen and ready for keys, then
// moves down n entries and presses Enter. The selectHint is
// printed only when a Select is first drawn, after survey has put the
// terminal in raw mode, so keys sent after it are never typed ahead into
// the wrong prompt (the question text alone appears again in the answer
// line of the previous prompt).
func (c *console) choose(n int) {
	c.t.Helper()
	c.expectString(selectHint)
	c.waitRaw()
	c.send(strings.Repeat(keyDown, n) + keyEnter)
}

// waitRaw waits until survey has put the terminal in raw mode. survey
// draws a prompt first and switches modes after, so a key sent in between
// would meet a cooked terminal: Enter turned into a newline, and Ctrl-C
// into a signal instead of the byte survey reads as an interrupt.
func (c *console) waitRaw() {
	c.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		tio, err := unix.IoctlGetTermios(int(c.Tty().Fd()), getTermios)
		if err != nil {
			c.t.Fatalf("reading the terminal mode: %v", err)
		}
		if tio.Lflag&unix.ICANON == 0 {
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatal("the prompt never put the terminal in raw mode")
		}
		time.Sleep(time.Millisecond)
	}
}

// answer waits for a text prompt and types line.
func (c *console) answer(prompt, line string) {
	c.t.Helper()
	c.expectString(prompt)
	c.waitRaw()
	c.send(line + keyEnter)
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// Keys as a terminal sends them.
const (
	keyEnter = "\r"
	keyDown  = "\x1b[B"
	keyCtrlC = "\x03"
)

// selectHint begins the hint line under every survey Select, in both
// languages (prompt.select-hint).
const selectHint = "[↑/↓ "

// goroutinesAfter is the number of goroutines once those that have handed
// back their result have also returned: a goroutine that sent its last
// value is still counted for the few instructions to its end. It waits up
// to two seconds for the count to come down to before, so a goroutine
// that really stays is still reported (no timing is asserted).
func goroutinesAfter(before int) int {
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(2 * time.Second); n > before && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(5 * time.Millisecond)
	}
	return n
}

// runConcurrently runs the subtests fns (by name) at most n at a time.
// The lesson sweeps (every lesson, both languages, in a mode) mostly wait
// on their experiments' clocks, not on the CPU, and each has its own
// sockets, port and output; run one after another they took minutes.
// testing.T.Run may be called from several goroutines at once; all the
// calls return before this does. Tests that count goroutines or sockets
// (TestExperiments) stay sequential, and no sweep overlaps them: a
// top-level test ends only when its subtests have.
func runConcurrently(t *testing.T, n int, names []string, fn func(t *testing.T, i int)) {
	t.Helper()
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			t.Run(name, func(t *testing.T) { fn(t, i) })
		}()
	}
	wg.Wait()
}

// sweep collects subtests to run with runConcurrently.
type sweep struct {
	names []string
	fns   []func(t *testing.T)
}

func (s *sweep) add(name string, fn func(t *testing.T)) {
	s.names = append(s.names, name)
	s.fns = append(s.fns, fn)
}

func (s *sweep) run(t *testing.T, n int) {
	t.Helper()
	runConcurrently(t, n, s.names, func(t *testing.T, i int) { s.fns[i](t) })
}
