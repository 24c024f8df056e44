package runner

import (
	"context"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/term"
)

// TermWidth reads f's width as a terminal, for Options.TermWidth (0 when
// it cannot be read).
func TermWidth(f *os.File) func() int {
	return func() int {
		w, _ := termSize(f)
		return w
	}
}

// termSize is the columns and rows of the terminal f is, or 0 and 0 when
// f is none (nil, a pipe, a file) or says it has no size. The one reader
// of a terminal's size in the runner: the width fits text and answers,
// the rows size a menu's page.
func termSize(f interface{ Fd() uintptr }) (cols, rows int) {
	if f == nil {
		return 0, 0
	}
	cols, rows, err := term.GetSize(int(f.Fd()))
	if err != nil || cols <= 0 || rows <= 0 {
		return 0, 0
	}
	return cols, rows
}

// A pager keeps a compact run's screens (--compact on a terminal) from
// scrolling: it counts the rows written since the screen was last cleared
// and, before a line that would push earlier ones off the top, pauses
// ("Read?") and starts a new screen. Prompts ask it for room first, so a
// prompt never pushes the text above it away either. Whatever is printed
// (a long step, tcp-server's many calls, the closing timeline) is on the
// screen at some pause.
type pager struct {
	w     io.Writer
	rows  int // the screen's height
	cols  int // its width, for lines the terminal wraps
	used  int // rows since the last clear
	ctx   context.Context
	inner prompter // asks at a page break
	// err is a page break's answer that was not "go on" (Ctrl-C): the
	// next prompt returns it.
	err error
	// heading, when set, is written at the top of each screen a page
	// break starts (Runner.pageHeading).
	heading string
	// breaking is set while a page break asks, so that its own prompt
	// is not paged.
	breaking bool
}

// pageHold is the rows a page break's prompt takes: its question, its one
// answer and the line the cursor is left on.
const pageHold = 3

func (p *pager) Write(b []byte) (int, error) {
	s := string(b)
	for s != "" {
		if strings.HasPrefix(s, clearSeq) {
			if _, err := io.WriteString(p.w, clearSeq); err != nil {
				return 0, err
			}
			p.used = 0
			s = s[len(clearSeq):]
			continue
		}
		end := len(s)
		if i := strings.Index(s, clearSeq); i >= 0 {
			end = i
		}
		chunk := s[:end]
		nl := strings.IndexByte(chunk, '\n')
		if nl < 0 { // a line still being written: counted at its end
			if _, err := io.WriteString(p.w, chunk); err != nil {
				return 0, err
			}
			s = s[end:]
			continue
		}
		line := chunk[:nl+1]
		h := p.height(line)
		if p.used+h > p.rows-pageHold {
			p.pageBreak()
		}
		if _, err := io.WriteString(p.w, line); err != nil {
			return 0, err
		}
		p.used += h
		s = s[nl+1:]
	}
	return len(b), nil
}

// height is the rows a line takes on the screen (a line wider than the
// screen wraps).
func (p *pager) height(line string) int {
	w := ansi.StringWidth(strings.TrimRight(line, "\n"))
	if w <= p.cols || p.cols <= 0 {
		return 1
	}
	return (w + p.cols - 1) / p.cols
}

// room makes sure rows more rows fit below what the screen shows, with a
// page break if not.
func (p *pager) room(rows int) {
	if p.used+rows > p.rows {
		p.pageBreak()
	}
}

// pageBreak asks the reader to go on, then clears the screen.
func (p *pager) pageBreak() {
	if p.breaking || p.err != nil || p.inner == nil || p.used == 0 {
		return
	}
	p.breaking = true
	_, err := p.inner.choose(p.ctx, "prompt.read", nil, []string{choiceNext}, choiceNext)
	p.breaking = false
	if err != nil {
		p.err = err
		return
	}
	io.WriteString(p.w, clearSeq)
	p.used = 0
	if p.heading != "" {
		io.WriteString(p.w, p.heading+"\n")
		p.used = p.height(p.heading + "\n")
	}
}

// pagingPrompter asks the pager for room before each prompt: survey
// draws the question and one row per answer, and leaves the answered
// question on one row.
type pagingPrompter struct{ p *pager }

func (pp pagingPrompter) choose(ctx context.Context, key string, args []any, options []string, def string) (string, error) {
	if pp.p.err != nil {
		return "", pp.p.err
	}
	pp.p.room(len(options) + 2)
	if pp.p.err != nil {
		return "", pp.p.err
	}
	ans, err := pp.p.inner.choose(ctx, key, args, options, def)
	pp.p.used += answeredRows(pp.p.inner)
	return ans, err
}

func (pp pagingPrompter) input(ctx context.Context, key string, args []any, def string) (string, error) {
	if pp.p.err != nil {
		return "", pp.p.err
	}
	pp.p.room(2)
	if pp.p.err != nil {
		return "", pp.p.err
	}
	ans, err := pp.p.inner.input(ctx, key, args, def)
	pp.p.used++
	return ans, err
}

// paging reports whether a run pages its screens: compact, on a terminal,
// with someone (or a presenter's countdown) to move it on.
func (r *Runner) paging() bool {
	return r.opts.Compact && r.opts.Terminal && r.opts.Mode != Plain
}

// startPaging puts a pager between the run and the terminal; the returned
// function takes it away again.
func (r *Runner) startPaging(ctx context.Context) func() {
	if !r.paging() {
		return func() {}
	}
	out, prompt := r.out, r.prompt
	p := &pager{w: out, rows: compactScreen, cols: r.opts.Width, ctx: ctx, inner: prompt}
	r.out, r.prompt, r.pager = p, pagingPrompter{p}, p
	return func() { r.out, r.prompt, r.pager = out, prompt, nil }
}

// basePrompt is the prompter under the pager, if any.
func (r *Runner) basePrompt() prompter {
	if pp, ok := r.prompt.(pagingPrompter); ok {
		return pp.p.inner
	}
	return r.prompt
}
