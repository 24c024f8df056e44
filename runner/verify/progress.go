package verify

import (
	"fmt"
	"github.com/sockstep/sockstep/runner/escape"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/sockstep/sockstep/content"
	"golang.org/x/term"
)

// progress reports a batch as it goes, on stderr: a bar redrawn in place
// on a terminal, plain lines otherwise (a log or CI has no use for \r, and
// a pipe must never make verify wait).
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	cat   *content.Catalog
	tty   bool
	width int // the terminal's columns; a bar line never fills them
	total int
	n     int
}

func newProgress(w io.Writer, cat *content.Catalog, total int) *progress {
	p := &progress{w: w, cat: cat, total: total}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true
		p.width = termWidth(w)
	}
	return p
}

const barWidth = 30

func (p *progress) done(r row) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	status := p.cat.T("verify.status." + r.Status)
	if !p.tty {
		fmt.Fprintln(p.w, p.cat.T("verify.batch.progress_line", p.n, p.total, escape.String(r.Submission), status))
		return
	}
	filled := barWidth * p.n / max(1, p.total)
	bar := strings.Repeat("█", filled) + strings.Repeat("░", barWidth-filled)
	fmt.Fprint(p.w, "\r\x1b[K"+p.fitBar(fmt.Sprintf("%s %d/%d %s", bar, p.n, p.total, escape.String(r.Submission))))
}

// fitBar cuts a bar line to one column less than the terminal's width: a
// line that filled or passed it would wrap, and "\r\x1b[K" clears only
// the last of its rows, leaving the others above the table.
func (p *progress) fitBar(s string) string {
	if p.width <= 1 {
		return s
	}
	return truncate(s, p.width-1)
}

// say writes a line about the batch as a whole, such as what it builds.
func (p *progress) say(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		fmt.Fprint(p.w, "\r\x1b[K")
		line = style{width: p.width}.fit(line)
	}
	fmt.Fprintln(p.w, line)
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.n > 0 {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
