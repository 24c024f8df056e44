//go:build !windows

package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/hinshun/vt10x"
	"github.com/muesli/termenv"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
	"github.com/sockstep/sockstep/lessons/wire"
)

// screen is an 80×24 terminal (vt10x) that sockstep writes to, which
// also keeps every line written and the pause at which it should be
// read: the first pause after it was printed.
type screen struct {
	vt      vt10x.Terminal
	cols    int
	partial string
	lines   []printedLine
	shots   []string // the screen at each pause
	shotRow [][]string
	breaks  int // "Read?" pauses: the intro's and the page breaks
}

type printedLine struct {
	text  string
	pause int // index into shots
}

func newScreen(cols, rows int) *screen {
	return &screen{vt: vt10x.New(vt10x.WithSize(cols, rows)), cols: cols}
}

// Write is what the runner prints: to the terminal (with the CR a tty's
// onlcr adds), and line by line to the record.
func (s *screen) Write(p []byte) (int, error) {
	s.vt.Write([]byte(strings.ReplaceAll(string(p), "\n", "\r\n")))
	text := s.partial + string(p)
	parts := strings.Split(text, "\n")
	for _, l := range parts[:len(parts)-1] {
		s.add(l)
	}
	s.partial = parts[len(parts)-1]
	return len(p), nil
}

func (s *screen) add(l string) {
	l = strings.ReplaceAll(l, clearSeq, "")
	plain := strings.TrimRight(ansi.Strip(l), " ")
	if strings.TrimSpace(plain) == "" {
		return
	}
	s.lines = append(s.lines, printedLine{text: plain, pause: len(s.shots)})
}

// raw writes to the terminal only: a prompt's own lines.
func (s *screen) raw(text string) {
	s.vt.Write([]byte(strings.ReplaceAll(text, "\n", "\r\n")))
}

// snap takes the screen as the learner sees it at a pause.
func (s *screen) snap() {
	if s.partial != "" {
		s.add(s.partial)
		s.partial = ""
	}
	view := s.vt.String()
	rows := strings.Split(strings.TrimSuffix(view, "\n"), "\n")
	for i, r := range rows {
		rows[i] = strings.TrimRight(r, " \x00")
	}
	s.shots = append(s.shots, view)
	s.shotRow = append(s.shotRow, rows)
}

// unseen lists the lines that were not on screen at the pause after them.
func (s *screen) unseen() []printedLine {
	var out []printedLine
	for _, l := range s.lines {
		found := false
		for _, row := range s.shotRow[l.pause] {
			if row == l.text {
				found = true
				break
			}
		}
		if !found {
			out = append(out, l)
		}
	}
	return out
}

// screenPrompter draws a prompt as survey does (the question, one row per
// answer), takes the screen, and answers with the default; survey then
// leaves one line, the question with its answer.
type screenPrompter struct{ s *screen }

func (p screenPrompter) choose(ctx context.Context, key string, _ []any, options []string, def string) (string, error) {
	if key == "prompt.read" {
		p.s.breaks++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "? %s [hint]\n", key)
	for _, o := range options {
		fmt.Fprintf(&b, "  %s\n", o)
	}
	p.s.raw(b.String())
	p.s.snap()
	p.s.raw(fmt.Sprintf("\x1b[%dA\x1b[J? %s %s\n", len(options)+1, key, def))
	return def, ctx.Err()
}

func (p screenPrompter) input(ctx context.Context, key string, _ []any, def string) (string, error) {
	p.s.raw("? " + key + " " + def)
	p.s.snap()
	p.s.raw("\n")
	return def, ctx.Err()
}

// TestScreens80x24 runs every lesson and experiment with --compact on an
// 80×24 virtual terminal, in both languages, with the packet capture off
// and (as root) on, and checks that every line printed was on the screen
// at the pause that followed it: nothing scrolls away unseen, nothing is
// wider than the screen.
func TestScreens80x24(t *testing.T) { testScreens(t, 80, []bool{false, true}) }

// TestScreens60x24 is the same on a 60-column terminal, without capture.
func TestScreens60x24(t *testing.T) { testScreens(t, 60, []bool{false}) }

func testScreens(t *testing.T, cols int, captures []bool) {
	type run struct {
		lang    content.Lang
		l       *content.Lesson
		capture bool
	}
	var runs []run
	var names []string
	for _, capture := range captures {
		for _, lang := range content.Langs {
			ls, err := content.Builtin(lang, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range ls {
				runs = append(runs, run{lang, l, capture})
				names = append(names, fmt.Sprintf("%s/%s/wire=%v", lang, l.ID, capture))
			}
		}
	}
	runConcurrently(t, 6, names, func(t *testing.T, i int) {
		lang, l, capture := runs[i].lang, runs[i].l, runs[i].capture
		sess := lessons.Config{Port: sockettest.FreePort(t)}
		if capture {
			c, err := wire.Open(wire.Options{Snap: wire.HeaderSnap})
			if errors.Is(err, wire.ErrNoPrivilege) && os.Geteuid() != 0 {
				t.Skip("capturing needs CAP_NET_RAW")
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			sess.Wire = c
		}
		sc := newScreen(cols, 24)
		r, err := New(Options{Lang: lang, Mode: Presenter, Terminal: true, Out: sc, Width: cols,
			Compact: true, Style: "dark", Profile: termenv.ANSI256, Session: sess, StepWait: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		r.prompt = screenPrompter{sc}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if err := r.Run(ctx, l); err != nil {
			t.Fatal(err)
		}
		sc.raw("$ ") // the shell's prompt under the last screen
		sc.snap()
		t.Logf("%d pauses, %d of them \"Read?\" (the intro's and page breaks), for %d steps", len(sc.shots)-1, sc.breaks, len(l.Steps))
		for _, pl := range sc.lines {
			if w := ansi.StringWidth(pl.text); w > cols {
				t.Errorf("line %d columns wide: %q", w, pl.text)
			}
		}
		// A prompt before a step is never alone on its screen: a step too
		// long for one screen repeats its heading on the next.
		heading := headingRE(r.cat.T("step.heading"))
		for i, shot := range sc.shots {
			if strings.Contains(shot, "? prompt.what-next") && !heading.MatchString(shot) {
				t.Errorf("pause %d: the step's prompt without its heading:\n%s", i+1, shot)
			}
		}
		if bad := sc.unseen(); len(bad) > 0 {
			for _, b := range bad[:min(len(bad), 8)] {
				t.Errorf("not on screen at pause %d: %q", b.pause+1, b.text)
			}
			first := bad[0].pause
			t.Logf("%d lines unseen; the screen at pause %d:\n%s", len(bad), first+1, sc.shots[first])
		}
	})
}

// headingRE matches a step's heading, from the catalog's format ("Step %d
// of %d · %s").
func headingRE(format string) *regexp.Regexp {
	q := regexp.QuoteMeta(format)
	q = strings.ReplaceAll(q, "%d", `\d+`)
	q = strings.ReplaceAll(q, "%s", `.*`)
	return regexp.MustCompile(q)
}
