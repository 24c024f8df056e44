package verify

import (
	"io"
	"os"

	"golang.org/x/term"
)

// style colours the report only for a person at a terminal: never in a
// pipe or a file, and never when NO_COLOR is set (https://no-color.org).
type style struct{ color bool }

func styleFor(w io.Writer) style {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return style{}
	}
	if _, set := os.LookupEnv("NO_COLOR"); set {
		return style{}
	}
	return style{color: true}
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
