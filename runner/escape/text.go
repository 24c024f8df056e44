package escape

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text makes text written by someone else (a lesson's title, prose,
// choices) safe to print while keeping it Markdown: line breaks and tabs
// stay, and so do backslashes, which Markdown gives a meaning of its own.
// Every other control character (ESC, BEL, C1 such as U+009B, DEL),
// every bidirectional override, and every byte that is not UTF-8 is
// written as an escape (\x1b, \u009b, \xff) the reader can see, as peer
// data is by Bytes. The result holds no control character but \n and \t.
func Text(s string) string {
	if textSafe(s) {
		return s
	}
	var sb strings.Builder
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&sb, `\x%02x`, s[0])
		case r == '\n' || r == '\t' || r == '\\':
			sb.WriteRune(r)
		default:
			writeRune(&sb, r)
		}
		s = s[size:]
	}
	return sb.String()
}

// textSafe reports whether Text would leave s as it is.
func textSafe(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				return false
			}
		}
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 ||
			r == 0x2028 || r == 0x2029 || isDangerousFormat(r) {
			return false
		}
	}
	return true
}

// Styled escapes what Text escapes but keeps SGR sequences (ESC [ digits
// and semicolons m), the only escape sequence sockstep's renderer writes:
// colour and emphasis. It is for text that has been through the renderer,
// where the styling is sockstep's own and any other control character came
// from the text (a numeric character reference such as &#27; that the
// Markdown parser decoded, for instance). A cursor move, a screen clear,
// an OSC title or clipboard write, or a bare ESC is written visibly.
func Styled(s string) string {
	if !strings.ContainsRune(s, 0x1b) {
		return Text(s)
	}
	var sb strings.Builder
	for {
		i := strings.IndexByte(s, 0x1b)
		if i < 0 {
			sb.WriteString(Text(s))
			return sb.String()
		}
		sb.WriteString(Text(s[:i]))
		if n := sgrLen(s[i:]); n > 0 {
			sb.WriteString(s[i : i+n])
			s = s[i+n:]
			continue
		}
		sb.WriteString(`\x1b`)
		s = s[i+1:]
	}
}

// sgrLen is the length of the SGR sequence s starts with, or 0.
func sgrLen(s string) int {
	if len(s) < 3 || s[0] != 0x1b || s[1] != '[' {
		return 0
	}
	for i := 2; i < len(s) && i < 256; i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9' || c == ';' || c == ':':
		case c == 'm':
			return i + 1
		default:
			return 0
		}
	}
	return 0
}
