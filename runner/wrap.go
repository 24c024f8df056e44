package runner

import "github.com/sockstep/sockstep/runner/textwrap"

// wrapLine breaks one rendered line into lines of at most width columns,
// repeating the line's indentation on each continuation line (see
// package textwrap, shared with verify's reports).
func wrapLine(line string, width int) []string { return textwrap.Line(line, width) }
