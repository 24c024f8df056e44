// Package escape makes untrusted bytes safe to print on a terminal.
//
// Everything a peer sends is untrusted: a datagram may carry an ANSI
// escape that clears the screen or retitles the window, a carriage return
// that overwrites what was printed, or bytes that are not UTF-8 at all.
// Bytes turns such input into text that shows exactly what arrived and can
// do nothing to the terminal.
package escape

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bytes returns b as printable text: valid UTF-8 is kept (Chinese
// included), control characters are written as Go-style escapes (\n, \t,
// \x1b, \u0085), and when b is not valid UTF-8 every byte outside ASCII
// is written as \xNN. The result never contains a control character, so it
// cannot move the cursor or start an escape sequence.
//
// Text that is not UTF-8 is most likely in another encoding (GBK, say),
// where a pair of bytes can happen to form a UTF-8 character that was never
// sent ("你" in GBK holds the UTF-8 for "ã"); showing every such byte as
// hex keeps the display honest.
func Bytes(b []byte) string {
	var sb strings.Builder
	valid := utf8.Valid(b)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if !valid && b[0] >= utf8.RuneSelf || r == utf8.RuneError && size <= 1 {
			fmt.Fprintf(&sb, `\x%02x`, b[0])
			b = b[1:]
			continue
		}
		writeRune(&sb, r)
		b = b[size:]
	}
	return sb.String()
}

// String is Bytes for a string.
func String(s string) string { return Bytes([]byte(s)) }

func writeRune(sb *strings.Builder, r rune) {
	switch r {
	case '\n':
		sb.WriteString(`\n`)
	case '\r':
		sb.WriteString(`\r`)
	case '\t':
		sb.WriteString(`\t`)
	case '\\':
		sb.WriteString(`\\`)
	default:
		switch {
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(sb, `\x%02x`, r)
		case unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) && isDangerousFormat(r):
			fmt.Fprintf(sb, `\u%04x`, r)
		case r == 0x2028 || r == 0x2029:
			fmt.Fprintf(sb, `\u%04x`, r)
		default:
			sb.WriteRune(r)
		}
	}
}

// isDangerousFormat reports format characters that change how the rest of
// a line is shown: bidirectional overrides and isolates can make text read
// differently from what was sent.
func isDangerousFormat(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f
}
