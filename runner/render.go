package runner

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/glamour"
	"github.com/charmbracelet/glamour/styles"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner/escape"
	"github.com/sockstep/sockstep/runner/textwrap"
)

// Styles a learner can pick with --style. "notty" is chosen automatically
// when output is not a terminal.
var Styles = []string{"dark", "light", "notty", "ascii"}

// markdown renders lesson text. It is built once per run: construction is
// cheap, but rendering with a fresh renderer each step would be wasteful,
// and WithAutoStyle is never used because it queries the terminal's
// background colour and blocks for seconds where no answer comes.
type markdown struct {
	r       *glamour.TermRenderer
	width   int
	compact bool // no blank lines, for an 80×24 screen
}

func newMarkdown(style string, width int, profile termenv.Profile, compact bool) (*markdown, error) {
	if width < 20 {
		width = 20
	}
	sheet, ok := styles.DefaultStyles[style]
	if !ok {
		return nil, fmt.Errorf("cannot set up the text renderer: there is no style %q", style)
	}
	// Inline code keeps its colours but not the space glamour pads it
	// with on each side: a padded span at the start of a line shifted the
	// whole reflowed paragraph one column right, and in Chinese it put a
	// space before the punctuation that follows ("CLOSED ，").
	sheet2 := *sheet
	sheet2.Code.Prefix, sheet2.Code.Suffix = "", ""
	r, err := glamour.NewTermRenderer(
		glamour.WithStyles(sheet2),
		glamour.WithWordWrap(0), // wrapped by fitWidth, which knows Chinese
		glamour.WithColorProfile(profile),
	)
	if err != nil {
		return nil, fmt.Errorf("cannot set up the text renderer with style %q: %w", style, err)
	}
	return &markdown{r: r, width: width, compact: compact}, nil
}

// render turns Markdown into terminal text no wider than the width.
func (m *markdown) render(md string) (string, error) {
	out, err := m.r.Render(joinLines(fitTables(expandTabs(md), m.width)))
	if err != nil {
		return "", err
	}
	// The lesson's text was cleaned when it was read; this catches what
	// the renderer itself may make of it, keeping only its colours.
	out = escape.Styled(out)
	out = fitWidth(out, m.width)
	if m.compact {
		out = dropBlankLines(out)
	}
	return strings.TrimRight(out, "\n") + "\n", nil
}

// dropBlankLines removes the empty lines between blocks (compact mode).
func dropBlankLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if ansi.Strip(l) != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// expandTabs replaces tabs with spaces. glamour counts a tab as one column
// when it pads code blocks, so gofmt'd Go would overflow the width.
func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		switch r {
		case '\t':
			n := 4 - col%4
			b.WriteString(strings.Repeat(" ", n))
			col += n
		case '\n':
			b.WriteRune(r)
			col = 0
		default:
			b.WriteRune(r)
			col++
		}
	}
	return b.String()
}

// fitWidth wraps every line wider than width (see wrapLine) and squeezes
// the runs of empty lines glamour leaves around blocks.
func fitWidth(s string, width int) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := 0
	for _, line := range lines {
		line = trimRightSpaces(line)
		if emptyLine(line) {
			if blank++; blank > 1 {
				continue
			}
			out = append(out, "")
			continue
		}
		blank = 0
		out = append(out, wrapLine(line, width)...)
	}
	return strings.Join(out, "\n")
}

// emptyLine reports whether line shows nothing: it is empty, or holds only
// escape sequences. Without an ESC there is nothing to strip (ansi.Strip
// would return the line as it is), and most lines have none.
func emptyLine(line string) bool {
	if !strings.Contains(line, "\x1b") {
		return line == ""
	}
	return ansi.Strip(line) == ""
}

// trimRightSpaces drops the padding glamour adds to fill each line; it is
// invisible but doubles the size of piped output.
func trimRightSpaces(s string) string { return strings.TrimRight(s, " ") }

// joinLines joins the lines of each paragraph into one, so that the text
// is reflowed to the terminal's width (by fitWidth) instead of keeping the
// line breaks of the Markdown source: glamour, with its own wrapping off,
// keeps them, and at 60 columns every source line came out as a long and
// a short line. Lines are joined with a space, or without one where the
// break falls next to a Chinese (wide) character: "了。\nUDP" must not
// read "了。 UDP". Code blocks, hard breaks and lines that start a new
// block are left alone.
func joinLines(md string) string {
	lines := strings.Split(md, "\n")
	out := make([]string, 0, len(lines))
	fence := ""
	for i, line := range lines {
		inFence := fence != ""
		fence = content.NextFence(fence, line)
		inFence = inFence || fence != ""
		if i > 0 && !inFence && len(out) > 0 && canJoin(out[len(out)-1], line) {
			out[len(out)-1] = strings.TrimRight(out[len(out)-1], " ") + textwrap.Joiner(out[len(out)-1], line) + strings.TrimLeft(line, " ")
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func canJoin(prev, next string) bool {
	p, n := strings.TrimSpace(prev), strings.TrimSpace(next)
	if p == "" || n == "" || strings.HasSuffix(prev, "  ") || strings.HasPrefix(prev, "    ") {
		return false
	}
	// Block starts: a heading, a quote, a table, a list item ("- ", not
	// "**bold**"), a rule, a fence, a comment.
	for _, start := range []string{"#", ">", "|", "- ", "* ", "+ ", "---", "***", "```", "~~~", "<!--"} {
		if strings.HasPrefix(n, start) || strings.HasPrefix(p, start) && !strings.HasSuffix(start, " ") {
			return false
		}
	}
	if len(n) > 1 && n[0] >= '0' && n[0] <= '9' && strings.Contains(n[:min(len(n), 4)], ".") {
		return false // a numbered list item
	}
	return true
}
