package verify

import (
	"io"
	"os"
	"strings"

	"github.com/sockstep/sockstep/runner/textwrap"
	"golang.org/x/term"
)

// style colours the report only for a person at a terminal: never in a
// pipe or a file, and never when NO_COLOR is set (https://no-color.org).
// At a terminal, width is its width in columns, at which the report's
// lines are wrapped; 0 (a pipe, a file) leaves them whole.
type style struct {
	color bool
	width int
}

func styleFor(w io.Writer) style {
	width := termWidth(w)
	if width == 0 {
		return style{}
	}
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return style{width: width}
	}
	return style{color: true, width: width}
}

// termWidth is the width of the terminal w writes to, or 0 when w is not
// a terminal (or says it has no width).
func termWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	cols, _, err := term.GetSize(int(f.Fd()))
	if err != nil || cols <= 0 {
		return 0
	}
	return cols
}

// minWrap is the narrowest width text is wrapped to: a narrower terminal
// wraps the lines itself.
const minWrap = 20

// fit wraps each line of text to st.width columns by display width (CJK
// characters take two), never inside a word or before closing
// punctuation (package textwrap).
func (st style) fit(text string) string {
	if st.width < minWrap {
		return text
	}
	var b strings.Builder
	for _, l := range strings.SplitAfter(text, "\n") {
		nl := strings.HasSuffix(l, "\n")
		for i, w := range textwrap.Line(strings.TrimSuffix(l, "\n"), st.width) {
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(w)
		}
		if nl {
			b.WriteString("\n")
		}
	}
	return b.String()
}

func (st style) wrap(code, s string) string {
	if !st.color {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (st style) good(s string) string { return st.wrap("32", s) }
func (st style) bad(s string) string  { return st.wrap("31", s) }
func (st style) note(s string) string { return st.wrap("33", s) }
func (st style) dim(s string) string  { return st.wrap("2", s) }
func (st style) bold(s string) string { return st.wrap("1", s) }
