package escape

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestBytes(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"ascii", []byte("hello"), "hello"},
		{"chinese", []byte("你好，世界"), "你好，世界"},
		{"newline", []byte("hi\n"), `hi\n`},
		{"crlf", []byte("a\r\nb"), `a\r\nb`},
		{"tab", []byte("a\tb"), `a\tb`},
		{"backslash is doubled so escapes stay unambiguous", []byte(`a\x1b`), `a\\x1b`},
		{"clear screen", []byte("\x1b[2J\x1b[H"), `\x1b[2J\x1b[H`},
		{"window title OSC", []byte("\x1b]0;pwned\x07"), `\x1b]0;pwned\x07`},
		{"C1 CSI", []byte("\u009b31m"), `\u009b31m`},
		{"nul and del", []byte{0, 'a', 0x7f}, `\x00a\x7f`},
		{"invalid utf8", []byte{0xff, 0xfe, 'o', 'k'}, `\xff\xfeok`},
		{"split multibyte char", []byte("你")[:2], `\xe4\xbd`},
		{"GBK: no UTF-8 character is made up from its bytes", []byte("\xc4\xe3\xba\xc3\xa3\xac"), `\xc4\xe3\xba\xc3\xa3\xac`},
		{"valid UTF-8 with one stray byte is all hex", append([]byte("你"), 0xff), `\xe4\xbd\xa0\xff`},
		{"bidi override", []byte("abc\u202edcba"), `abc\u202edcba`},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Bytes(tt.in); got != tt.want {
				t.Errorf("Bytes(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestValid(t *testing.T) {
	if !valid([]byte("你好 hello")) {
		t.Error("plain text reported as needing escapes")
	}
	if valid([]byte("a\x1b[0m")) {
		t.Error("an ANSI escape reported as safe")
	}
}

// FuzzBytes checks the promise of the package on any input: the output is
// valid UTF-8 and holds no control character.
func FuzzBytes(f *testing.F) {
	for _, s := range []string{"", "hello", "你好", "\x1b[31mred", "\xff\xfe", "\r\n\t", "\u009b", "\u202e"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out := Bytes(b)
		if !utf8.ValidString(out) {
			t.Fatalf("Bytes(%q) = %q is not valid UTF-8", b, out)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Fatalf("Bytes(%q) = %q keeps control character %U", b, out, r)
			}
		}
		if strings.ContainsRune(out, 0x1b) {
			t.Fatalf("Bytes(%q) keeps ESC", b)
		}
		if utf8.Valid(b) && !strings.ContainsAny(string(b), "\\") && valid(b) && out != string(b) {
			t.Fatalf("safe input changed: %q -> %q", b, out)
		}
	})
}

func ExampleBytes() {
	// A hostile datagram: clears the screen, then text that is not UTF-8.
	fmt.Println(Bytes([]byte("\x1b[2Jhi\xff")))
	// Output: \x1b[2Jhi\xff
}

// valid reports whether b is shown unchanged by Bytes: valid UTF-8 with no
// control characters.
func valid(b []byte) bool { return Bytes(b) == string(b) }
