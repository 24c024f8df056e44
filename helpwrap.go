package main

import (
	"os"
	"regexp"
	"strings"

	"github.com/mattn/go-runewidth"
	"github.com/sockstep/sockstep/runner/textwrap"
	"golang.org/x/term"
)

// helpWidth is the width help text is filled to: the terminal's, at most
// 100 columns, or 80 when the output is not a terminal.
func helpWidth(out *os.File) int {
	if w := termWidth(out); w > 0 {
		return w
	}
	return 80
}

// termWidth is out's width when it is a terminal (at most 100 columns),
// and 0 when it is not: a pipe or a file gets lines as they are.
func termWidth(out *os.File) int {
	if w, _, err := term.GetSize(int(out.Fd())); err == nil && w > 0 {
		return min(w, 100)
	}
	return 0
}

// fillTo fits a message a command prints (an error, a warning, what to do
// next) to out's width when out is a terminal: each line is filled on its
// own (see hang), so that at 60 or 40 columns no word is cut by the
// terminal's own wrapping. Into a pipe or a file it is left as it is.
func fillTo(out *os.File, msg string) string {
	w := termWidth(out)
	if w <= 0 {
		return msg
	}
	var lines []string
	for _, l := range strings.Split(msg, "\n") {
		lines = append(lines, hang(l, w)...)
	}
	return strings.Join(lines, "\n")
}

// columnRE finds where a row's second column starts: after a run of at
// least two spaces that follows the first word.
var columnRE = regexp.MustCompile(`^(\s*\S.*?\s{2,})\S`)

// fillHelp fills a help text to width. The catalog writes it as lines
// wrapped near 90 columns; at 60 columns they would each break in two.
// A paragraph (lines up to a blank one) of prose is joined and filled
// again. An example or a table row (isRow) stays a line of its own, and
// its further lines hang under its second column.
func fillHelp(text string, width int) string {
	var out, para []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, textwrap.Line(strings.Join(para, ""), width)...)
			para = nil
		}
	}
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		switch {
		case strings.TrimSpace(line) == "":
			flush()
			out = append(out, "")
		case isRow(line):
			flush()
			out = append(out, hang(line, width)...)
		case len(para) > 0:
			para = append(para, textwrap.Joiner(para[len(para)-1], line)+line)
		default:
			para = append(para, line)
		}
	}
	flush()
	return strings.Join(out, "\n") + "\n"
}

// isRow tells an example or a table row from a line of prose: it begins
// with a space or "$", or it is a sockstep command line ("sockstep run
// …", not "sockstep shows …"), or it has a second column.
func isRow(line string) bool {
	if strings.HasPrefix(line, " ") || strings.HasPrefix(line, "$") {
		return true
	}
	if rest, ok := strings.CutPrefix(line, "sockstep "); ok {
		word, _, _ := strings.Cut(rest, " ")
		if strings.HasPrefix(word, "-") || lookup(word) != nil {
			return true
		}
	}
	return strings.Contains(strings.TrimSpace(line), "  ")
}

// hang fills one row to width, its further lines indented to its second
// column (or to its own indentation when it has none, or when the
// column is past two thirds of the width).
func hang(line string, width int) []string {
	if runewidth.StringWidth(line) <= width {
		return []string{line}
	}
	indent := len(line) - len(strings.TrimLeft(line, " "))
	if m := columnRE.FindStringSubmatch(line); m != nil && runewidth.StringWidth(m[1]) <= width*2/3 {
		indent = runewidth.StringWidth(m[1])
	}
	first := textwrap.Line(line, width)
	if len(first) < 2 {
		return first
	}
	// Wrap again with the rest hanging: the first line as it was, the
	// rest refilled to the narrower width.
	rest := strings.TrimSpace(first[1])
	for _, l := range first[2:] {
		rest += textwrap.Joiner(rest, l) + strings.TrimSpace(l)
	}
	pad := strings.Repeat(" ", indent)
	out := []string{first[0]}
	for _, l := range textwrap.Line(rest, width-indent) {
		out = append(out, pad+strings.TrimLeft(l, " "))
	}
	return out
}
