package escape

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"prose", "Bind **first**,\n\tthen `listen`.", "Bind **first**,\n\tthen `listen`."},
		{"chinese", "先绑定，再监听。", "先绑定，再监听。"},
		{"markdown backslashes stay", `a \* b \\ c`, `a \* b \\ c`},
		{"clear screen", "x\x1b[2Jy", `x\x1b[2Jy`},
		{"OSC title", "\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"OSC 52 clipboard", "\x1b]52;c;cm0gLXJmIH4K\x1b\\", `\x1b]52;c;cm0gLXJmIH4K\x1b\`},
		{"C1 CSI", "\u009b2J", `\u009b2J`},
		{"carriage return", "safe\rfake", `safe\rfake`},
		{"bidi override", "abc\u202edcba", `abc\u202edcba`},
		{"invalid byte", "ok\xffok", `ok\xffok`},
		{"nul", "a\x00b", `a\x00b`},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("%s: Text(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestStyled(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"sgr kept", "\x1b[1;38;5;203mred\x1b[0m", "\x1b[1;38;5;203mred\x1b[0m"},
		{"truecolour kept", "\x1b[38;2;1;2;3mx\x1b[m", "\x1b[38;2;1;2;3mx\x1b[m"},
		{"clear screen escaped", "\x1b[2J\x1b[0mx", "\\x1b[2J\x1b[0mx"},
		{"cursor move escaped", "\x1b[10;10H", `\x1b[10;10H`},
		{"OSC escaped", "\x1b]0;t\x07", `\x1b]0;t\x07`},
		{"bare ESC at the end", "x\x1b", `x\x1b`},
		{"C1 escaped beside styling", "\x1b[1m\u009b2J", "\x1b[1m\\u009b2J"},
		{"newlines stay", "a\n\x1b[0mb\n", "a\n\x1b[0mb\n"},
	}
	for _, tt := range tests {
		if got := Styled(tt.in); got != tt.want {
			t.Errorf("%s: Styled(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// FuzzText checks Text's and Styled's promise on any input: valid UTF-8,
// no control character but newline and tab (and, for Styled, ESC only at
// the start of an SGR sequence), and safe text unchanged.
func FuzzText(f *testing.F) {
	for _, s := range []string{"", "hello\n", "你好\t", "\x1b[31mred", "\xff", "\u009b", "\u202e", "\x1b]52;c;x\x07", "\x1b[", "\x1b[1;2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, out := range map[string]string{"Text": Text(s), "Styled": Styled(s)} {
			if !utf8.ValidString(out) {
				t.Fatalf("%s(%q) = %q is not valid UTF-8", name, s, out)
			}
			rest := out
			for i, r := range rest {
				if r == 0x1b && name == "Styled" && sgrLen(rest[i:]) > 0 {
					continue
				}
				if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 {
					t.Fatalf("%s(%q) = %q keeps control character %U", name, s, out, r)
				}
			}
			if textSafe(s) && Text(s) != s {
				t.Fatalf("safe text changed: %q -> %q", s, Text(s))
			}
			if !strings.ContainsRune(s, 0x1b) && Styled(s) != Text(s) {
				t.Fatalf("Styled(%q) differs from Text without any ESC", s)
			}
		}
	})
}
