//go:build !windows

package runner

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/sockstep/sockstep/content"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestWrapLine(t *testing.T) {
	tests := []struct {
		name  string
		line  string
		width int
		want  []string
	}{
		{"fits", "  hello world", 20, []string{"  hello world"}},
		{"english at spaces", "  one two three four", 12, []string{"  one two", "  three four"}},
		{"chinese between characters", "  套接字是进程通信的端点", 12, []string{"  套接字是进", "  程通信的端", "  点"}},
		{"no comma at line start", "  一二三四，五六", 10, []string{"  一二三", "  四，五六"}},
		{"no opening bracket at line end", "  一二三（四五）六", 10, []string{"  一二三", "  （四五）", "  六"}},
		{"bracket before a word", "  一二三四五（nftables）", 14, []string{"  一二三四五", "  （nftables）"}},
		{"mixed", "  调用 bind 之后端口被占用", 14, []string{"  调用 bind 之", "  后端口被占用"}},
		{"long word is cut", "  abcdefghijklmnop", 10, []string{"  abcdefgh", "  ijklmnop"}},
		{"escapes take no room", "  \x1b[1m粗体\x1b[0m文字文字", 8, []string{"  \x1b[1m粗体\x1b[0m文", "  字文字"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrapLine(tt.line, tt.width)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("wrapLine(%q, %d) =\n%q\nwant\n%q", tt.line, tt.width, got, tt.want)
			}
			for _, l := range got {
				if w := ansi.StringWidth(l); w > tt.width {
					t.Errorf("line %q is %d columns wide, more than %d", l, w, tt.width)
				}
			}
		})
	}
}

func TestJoinLines(t *testing.T) {
	tests := []struct{ in, want string }{
		{"第一行\n第二行", "第一行第二行"},
		{"English line\nnext line", "English line next line"},
		{"hard break  \nnext", "hard break  \nnext"},
		{"text\n| a | b |", "text\n| a | b |"},
		{"- item\n  goes on", "- item goes on"},
		{"中文结尾。\nEnglish", "中文结尾。English"},
		{"段落\n\n新段落", "段落\n\n新段落"},
		{"中文\n- 列表", "中文\n- 列表"},
		{"```\n代码\n代码\n```", "```\n代码\n代码\n```"},
		{"接收方还是用\n1024 字节", "接收方还是用 1024 字节"},
		{"调用\n`recv`", "调用 `recv`"},
		{"read\n中文", "read 中文"},
		{"整台机器的\n**缓冲区**", "整台机器的**缓冲区**"},
	}
	for _, tt := range tests {
		if got := joinLines(tt.in); got != tt.want {
			t.Errorf("joinLines(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestExpandTabs(t *testing.T) {
	if got := expandTabs("a\tb\n\tc"); got != "a   b\n    c" {
		t.Errorf("expandTabs = %q", got)
	}
}

// TestRenderedWidth renders every lesson, in both languages and at several
// widths, and checks that no line is wider than the terminal: the trap of
// glamour v1 with Chinese, which has no spaces to break at.
func TestRenderedWidth(t *testing.T) {
	for _, lang := range content.Langs {
		ls, err := content.Builtin(lang, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			for _, width := range []int{40, 60, 80, 120} {
				for _, style := range []string{"notty", "dark"} {
					var out strings.Builder
					r, err := New(Options{Lang: lang, Out: &out, Width: width, Style: style, Terminal: style == "dark", Profile: termenv.ANSI256})
					if err != nil {
						t.Fatal(err)
					}
					if err := r.Show(l); err != nil {
						t.Fatal(err)
					}
					for i, line := range strings.Split(out.String(), "\n") {
						if w := ansi.StringWidth(line); w > width {
							t.Errorf("%s/%s at width %d (%s), line %d is %d columns: %q", lang, l.ID, width, style, i+1, w, ansi.Strip(line))
						}
					}
				}
			}
		}
	}
}

// Inline code in the dark and light styles keeps its colours but no
// padding: a paragraph that starts with code keeps the text's margin, and
// Chinese punctuation follows the code directly.
func TestInlineCodeUnpadded(t *testing.T) {
	for _, style := range []string{"dark", "light"} {
		md, err := newMarkdown(style, 60, termenv.ANSI256, false)
		if err != nil {
			t.Fatal(err)
		}
		out, err := md.render("`SOCK_STREAM` 表示要用 TCP，状态是 `CLOSED`，什么都还没发生。这一段要写得足够长，长到需要折成好几行才行。\n")
		if err != nil {
			t.Fatal(err)
		}
		plain := ansi.Strip(out)
		if !strings.Contains(plain, "CLOSED，") || strings.Contains(plain, "CLOSED ，") {
			t.Errorf("%s: punctuation after code is pushed away:\n%s", style, plain)
		}
		for _, line := range strings.Split(strings.TrimRight(plain, "\n"), "\n") {
			if line != "" && !strings.HasPrefix(line, "  ") || strings.HasPrefix(line, "   ") {
				t.Errorf("%s: a line off the two-column margin: %q", style, line)
			}
		}
		if !strings.Contains(out, "\x1b[") {
			t.Errorf("%s: the code lost its colours", style)
		}
	}
}

// TestPlainHasNoEscapes: without a terminal the output is plain text.
func TestPlainHasNoEscapes(t *testing.T) {
	out, err := plainRun(t, content.Chinese, "udp-recv")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "\x1b") {
		t.Error("plain output contains an escape sequence")
	}
}

// TestShowGolden compares `sockstep show` for every lesson with the golden
// files in testdata/ (go test ./runner -update rewrites them).
func TestShowGolden(t *testing.T) {
	for _, lang := range content.Langs {
		ls, err := content.Builtin(lang, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			t.Run(string(lang)+"/"+l.ID, func(t *testing.T) {
				var out strings.Builder
				r, err := New(Options{Lang: lang, Out: &out, Width: 80})
				if err != nil {
					t.Fatal(err)
				}
				if err := r.Show(l); err != nil {
					t.Fatal(err)
				}
				golden(t, filepath.Join("testdata", "show", string(lang), l.ID+".golden"), out.String())
			})
		}
	}
}

// TestShowExerciseGolden: each exercise's task as `sockstep exercises ID`
// prints it, its sections under their own titles rather than as steps.
func TestShowExerciseGolden(t *testing.T) {
	for _, lang := range content.Langs {
		exs, err := content.Exercises(lang)
		if err != nil {
			t.Fatal(err)
		}
		if len(exs) == 0 {
			t.Fatalf("no exercises in %s", lang)
		}
		for _, ex := range exs {
			t.Run(string(lang)+"/"+ex.ID, func(t *testing.T) {
				var out strings.Builder
				r, err := New(Options{Lang: lang, Out: &out, Width: 80})
				if err != nil {
					t.Fatal(err)
				}
				if err := r.Show(ex); err != nil {
					t.Fatal(err)
				}
				if strings.Contains(out.String(), r.cat.T("step.heading", 1, len(ex.Steps), ex.Steps[0].Title)) {
					t.Error("an exercise's sections are shown as lesson steps")
				}
				golden(t, filepath.Join("testdata", "exercises", string(lang), ex.ID+".golden"), out.String())
			})
		}
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./runner -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the output (go test ./runner -update rewrites it after review):\n%s", path, firstDiff(string(want), got))
	}
}

// firstDiff shows the first line where two texts part.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return "(same lines, different endings)"
}
