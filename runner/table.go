package runner

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/sockstep/sockstep/content"
)

// Tables are drawn by glamour at their natural width: a table wider than
// the terminal (tcp-server's intro at 80 columns, any of them at 60) had
// its rows broken by fitWidth, and the cells of one row ended up under
// the wrong columns. A table that does not fit is drawn here instead, as
// preformatted text, with each column's cells wrapped to a width that
// leaves the table inside the screen.

// tableRule is a Markdown table's second line: | --- | :---: |.
var tableRule = regexp.MustCompile(`^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$`)

// codeIndent is how far glamour indents a code block inside its margin.
const codeIndent = 4

// fitTables replaces every Markdown table wider than width (as glamour
// would draw it) with a code block holding the table wrapped to fit.
func fitTables(md string, width int) string {
	lines := strings.Split(md, "\n")
	out := make([]string, 0, len(lines))
	fence := ""
	for i := 0; i < len(lines); i++ {
		inFence := fence != ""
		fence = content.NextFence(fence, lines[i])
		if inFence || fence != "" || !isTableRow(lines[i]) || i+1 >= len(lines) || !tableRule.MatchString(lines[i+1]) {
			out = append(out, lines[i])
			continue
		}
		rows := [][]string{cells(lines[i])}
		j := i + 2
		for ; j < len(lines) && isTableRow(lines[j]); j++ {
			rows = append(rows, cells(lines[j]))
		}
		if drawn, ok := drawTable(rows, width); ok {
			out = append(out, drawn...)
		} else {
			out = append(out, lines[i:j]...)
		}
		i = j - 1
	}
	return strings.Join(out, "\n")
}

func isTableRow(line string) bool { return strings.HasPrefix(strings.TrimSpace(line), "|") }

// cells splits a table row; the inline marks a code block would show as
// they are (`code`, **bold**) are dropped.
func cells(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimSuffix(strings.TrimPrefix(line, "|"), "|")
	parts := strings.Split(line, "|")
	for i, p := range parts {
		p = strings.ReplaceAll(p, "**", "")
		p = strings.ReplaceAll(p, "`", "")
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

// drawTable returns the table as a code block when its natural width
// exceeds width, with ok false when it fits as it is (glamour draws it).
func drawTable(rows [][]string, width int) ([]string, bool) {
	n := 0
	for _, r := range rows {
		n = max(n, len(r))
	}
	colw := make([]int, n)
	for _, r := range rows {
		for c, cell := range r {
			colw[c] = max(colw[c], ansi.StringWidth(cell))
		}
	}
	total := func() int {
		t := 3 * (n - 1)
		for _, w := range colw {
			t += w
		}
		return t + 2 // a space before the first column and after the last
	}
	// glamour draws it with a space on each side, inside the margin of 2.
	if total()+2 <= width {
		return nil, false
	}
	avail := width - codeIndent
	for total() > avail {
		widest := 0
		for c := range colw {
			if colw[c] > colw[widest] {
				widest = c
			}
		}
		if colw[widest] <= 4 {
			break // as narrow as it can usefully be
		}
		colw[widest]--
	}
	out := []string{"```"}
	for ri, r := range rows {
		wrapped := make([][]string, n)
		height := 1
		for c := 0; c < n; c++ {
			cell := ""
			if c < len(r) {
				cell = r[c]
			}
			wrapped[c] = wrapLine(cell, colw[c])
			height = max(height, len(wrapped[c]))
		}
		for h := 0; h < height; h++ {
			var parts []string
			for c := 0; c < n; c++ {
				s := ""
				if h < len(wrapped[c]) {
					s = wrapped[c][h]
				}
				parts = append(parts, pad(s, colw[c]))
			}
			out = append(out, strings.TrimRight(" "+strings.Join(parts, " │ "), " "))
		}
		if ri == 0 {
			var rule []string
			for _, w := range colw {
				rule = append(rule, strings.Repeat("─", w))
			}
			out = append(out, "─"+strings.Join(rule, "─┼─")+"─")
		}
	}
	return append(out, "```"), true
}
