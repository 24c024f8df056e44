// Package textwrap fills lines of terminal text to a width in columns:
// CJK-aware (a wide character takes two columns, and a line may break
// between any two Chinese characters), never inside a word, never before
// closing punctuation, escape sequences taking no columns. The lesson
// runner and verify's reports both use it.
package textwrap

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-runewidth"
)

// Text wrapping is done here rather than by glamour: glamour (v1) breaks
// lines only at spaces, and Chinese has none, so a Chinese paragraph came
// out as one line far wider than the terminal, or was cut in odd places.
// glamour renders with wrapping off; Line then fills each line to the
// width, breaking at spaces or between any two Chinese characters, and
// never before closing punctuation such as "，" or "。".

// listMarker is the start of a rendered list item, "• " or "12. ", or
// of a call the runner shows, "▶ ", "✓ " or "✗ ": the item's or the
// call's further lines hang under its text.
var listMarker = regexp.MustCompile(`^(?:• |[0-9]{1,3}\. |[▶✓✗] )`)

// escapeRE matches, at the start of a string, the terminal escape
// sequences glamour emits: CSI (colour and style) and OSC (hyperlinks).
// They take no columns.
var escapeRE = regexp.MustCompile(`^(?:\x1b\[[0-9;:?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\))`)

// noBreakBefore lists characters a line must not start with, and
// noBreakAfter the ones it must not end with (opening brackets and quotes).
const (
	noBreakBefore = "，。、；：？！）」』”’》〉】,.;:?!)]}%"
	noBreakAfter  = "（「『“‘《〈【"
)

// token is a piece of a line that is never split: an escape sequence, a
// run of spaces, one wide character, or a word of narrow characters.
type token struct {
	text  string
	width int
	space bool
	wide  bool
}

func tokenize(line string) []token {
	// Room for every token at once: a word and its space take 4 bytes
	// or more, a Chinese character 3.
	toks := make([]token, 0, len(line)/2+1)
	glue := false // the last token ends with an opening bracket
	// bracket: inside "[…]" with no space yet, a mark such as "[重传]" or
	// "[你]" is one token: a line does not break inside it.
	bracket := false
	for i := 0; i < len(line); {
		// An escape sequence is a token of its own. Tried only where one
		// starts: searching the rest of the line at every character made
		// a long line quadratic.
		if line[i] == '\x1b' {
			if esc := escapeRE.FindString(line[i:]); esc != "" {
				// Inside a word ("(" and the code span's colour, then
				// "getsockname"), the sequence is part of the word: a line
				// does not break between "(" and the code.
				if n := len(toks); n > 0 && !toks[n-1].space && (glue || !toks[n-1].wide && toks[n-1].width > 0) {
					t := &toks[n-1]
					t.text = line[i-len(t.text) : i+len(esc)]
				} else {
					toks = append(toks, token{text: esc})
				}
				i += len(esc)
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(line[i:])
		w := runewidth.RuneWidth(r)
		// grow adds this character to the last token, which ends where
		// it starts: tokens are pieces of line, never copies.
		grow := func(t *token) {
			t.text = line[i-len(t.text) : i+size]
			t.width += w
		}
		if r == ' ' || r == ']' {
			bracket = false
		}
		if glue && r != ' ' {
			grow(&toks[len(toks)-1])
			toks[len(toks)-1].wide = w == 2 // a word may go on after "（
			glue = strings.ContainsRune(noBreakAfter, r) || bracket
			i += size
			continue
		}
		if r == '[' {
			bracket = true
		}
		glue = strings.ContainsRune(noBreakAfter, r) || bracket
		switch {
		case r == ' ':
			if n := len(toks); n > 0 && toks[n-1].space {
				grow(&toks[n-1])
			} else {
				toks = append(toks, token{text: " ", width: 1, space: true})
			}
		case strings.ContainsRune(noBreakBefore, r) && len(toks) > 0 && !toks[len(toks)-1].space:
			grow(&toks[len(toks)-1])
			if w == 2 {
				// A line may break after Chinese punctuation: a word
				// after "、" starts a token of its own.
				toks[len(toks)-1].wide = true
			}
		case w == 2:
			toks = append(toks, token{text: line[i : i+size], width: 2, wide: true})
		default:
			if n := len(toks); n > 0 && !toks[n-1].space && !toks[n-1].wide && toks[n-1].width > 0 {
				grow(&toks[n-1])
			} else {
				toks = append(toks, token{text: line[i : i+size], width: w})
			}
		}
		i += size
	}
	return toks
}

// Line breaks one rendered line into lines of at most width columns,
// repeating the line's indentation on each continuation line.
func Line(line string, width int) []string {
	if fits(line, width) {
		return []string{line}
	}
	plain := line
	if strings.Contains(line, "\x1b") { // ansi.Strip returns any other line as it is
		plain = ansi.Strip(line)
	}
	indent := len(plain) - len(strings.TrimLeft(plain, " "))
	if m := listMarker.FindString(plain[indent:]); m != "" {
		indent += ansi.StringWidth(m) // a list item's lines hang under its text
	}
	if indent > width/2 {
		indent = 0
	}
	return fill(line, width, indent)
}

// Hang breaks one line into lines of at most width columns, each further
// line indented by indent columns (a hanging indent: a captured packet's
// fields continue under its start). Nothing is cut but a word wider than
// a whole line.
func Hang(line string, width, indent int) []string {
	if fits(line, width) {
		return []string{line}
	}
	return fill(line, width, min(max(indent, 0), width/2))
}

// fill breaks line at width columns, indenting the further lines.
func fill(line string, width, indent int) []string {
	pad := strings.Repeat(" ", indent)
	var out []string
	var cur strings.Builder
	col := 0
	first := true
	flush := func() {
		out = append(out, trimRight(cur.String()))
		cur.Reset()
		cur.WriteString(pad)
		col = indent
		first = false
	}
	for _, t := range tokenize(line) {
		switch {
		case t.width == 0:
			cur.WriteString(t.text)
			continue
		case t.space:
			if !first && col == indent {
				continue // no spaces at the start of a continuation line
			}
			if col+t.width > width {
				flush()
				continue
			}
		case col+t.width > width && col > indent:
			flush()
		}
		// A word longer than a whole line is cut where it must be.
		for col+t.width > width && t.width > 0 {
			head := ansi.Truncate(t.text, width-col, "")
			cur.WriteString(head)
			t.text = ansi.TruncateLeft(t.text, ansi.StringWidth(head), "")
			t.width -= ansi.StringWidth(head)
			flush()
		}
		cur.WriteString(t.text)
		col += t.width
	}
	if s := trimRight(cur.String()); strings.TrimSpace(ansi.Strip(s)) != "" || len(out) == 0 {
		out = append(out, s)
	}
	return out
}

// fits reports whether line takes at most width columns. Most lines are
// not measured grapheme by grapheme: no character takes more columns than
// it has bytes in UTF-8, and printable ASCII takes one column a byte.
func fits(line string, width int) bool {
	if len(line) <= width {
		return true
	}
	for i := 0; i < len(line); i++ {
		if line[i] < ' ' || line[i] > '~' {
			return ansi.StringWidth(line) <= width
		}
	}
	return false // len(line) columns
}

// trimRight drops the spaces at a line's end.
func trimRight(s string) string { return strings.TrimRight(s, " ") }

// Joiner is what goes between two lines joined into one paragraph: a
// space between words, nothing between Chinese characters, but a space
// between Chinese and a Latin word or number ("用 1024 字节"), as the
// lessons are written, unless one side is punctuation ("端口（port）").
func Joiner(prev, next string) string {
	last, _ := utf8.DecodeLastRuneInString(strings.TrimRight(prev, " "))
	first, _ := utf8.DecodeRuneInString(strings.TrimLeft(next, " "))
	wl, wf := runewidth.RuneWidth(last) == 2, runewidth.RuneWidth(first) == 2
	switch {
	case !wl && !wf:
		return " "
	case wl == wf || unicode.IsPunct(last) || unicode.IsPunct(first):
		return ""
	}
	return " "
}
