package verify

import (
	"fmt"
	"github.com/sockstep/sockstep/runner/escape"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner/textwrap"
)

// maxCell bounds the width of the last column, so a long difference does
// not wrap the whole table.
const maxCell = 70

// writeTable prints the batch results: submission, result, first
// difference. Columns are padded by display width, so Chinese headers and
// names line up.
func writeTable(w io.Writer, cat *content.Catalog, st style, rows []row) {
	head := []string{cat.T("verify.table.submission"), cat.T("verify.table.result"), cat.T("verify.table.difference")}
	cells := [][]string{head}
	for _, r := range rows {
		cells = append(cells, []string{escape.String(r.Submission), cat.T("verify.status." + r.Status), truncate(r.FirstDifference, maxCell)})
	}
	widths := make([]int, 2)
	for _, c := range cells {
		for i := range widths {
			widths[i] = max(widths[i], displayWidth(c[i]))
		}
	}
	for n, c := range cells {
		var b strings.Builder
		for i := range widths {
			cell := c[i] + strings.Repeat(" ", widths[i]-displayWidth(c[i]))
			if i == 1 && n > 0 {
				cell = colorStatus(st, rows[n-1].Status, cell)
			}
			b.WriteString(cell + "  ")
		}
		// The last column is wrapped to what the terminal has left of
		// its width, its next lines under its first.
		offset := widths[0] + widths[1] + 4
		indent := strings.Repeat(" ", offset)
		detail := []string{c[2]}
		if n > 0 {
			// The compiler's next lines, under the first one.
			for i, l := range rows[n-1].BuildOutput {
				if i > 0 {
					detail = append(detail, truncate(l, maxCell))
				}
			}
		}
		var wrapped []string
		for _, d := range detail {
			if room := st.width - offset; st.width > 0 && room >= minWrap {
				wrapped = append(wrapped, textwrap.Line(d, room)...)
			} else {
				wrapped = append(wrapped, d)
			}
		}
		b.WriteString(wrapped[0])
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
		for _, l := range wrapped[1:] {
			fmt.Fprintln(w, indent+l)
		}
	}
	passed := 0
	for _, r := range rows {
		if r.Passed {
			passed++
		}
	}
	fmt.Fprint(w, st.fit(cat.T("verify.batch.summary", passed, len(rows))+"\n"))
}

func colorStatus(st style, status, s string) string {
	if status == statusPass {
		return st.good(s)
	}
	return st.bad(s)
}

// truncate shortens s to at most n display columns, marking the cut.
func truncate(s string, n int) string {
	if displayWidth(s) <= n {
		return s
	}
	w := 0
	for i, r := range s {
		if w+runeWidth(r) > n-1 {
			return s[:i] + "…"
		}
		w += runeWidth(r)
	}
	return s
}

// displayWidth counts terminal columns: East Asian wide characters take
// two. (The text is already escaped, so there are no control characters.)
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

func runeWidth(r rune) int {
	if r == utf8.RuneError {
		return 1
	}
	switch {
	case r >= 0x1100 && r <= 0x115f,
		r >= 0x2e80 && r <= 0x303e,
		r >= 0x3041 && r <= 0x33ff,
		r >= 0x3400 && r <= 0x4dbf,
		r >= 0x4e00 && r <= 0x9fff,
		r >= 0xa000 && r <= 0xa4cf,
		r >= 0xac00 && r <= 0xd7a3,
		r >= 0xf900 && r <= 0xfaff,
		r >= 0xfe30 && r <= 0xfe4f,
		r >= 0xff00 && r <= 0xff60,
		r >= 0xffe0 && r <= 0xffe6,
		r >= 0x1f300 && r <= 0x1f64f,
		r >= 0x1f900 && r <= 0x1f9ff,
		r >= 0x20000 && r <= 0x3fffd:
		return 2
	}
	return 1
}
