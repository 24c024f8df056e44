package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"
)

const good = `---
id: demo
title: Demo
summary: a demo
---
# Demo

## Make it
<!-- step: socket rx udp -->

## Bind it
<!-- step: bind rx -->
`

// both is the same lesson text in both languages.
func both(text string) map[string]string {
	return map[string]string{"en/demo.md": text, "zh/demo.md": text}
}

// write puts files (path → text) under a temporary directory.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFile(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		check string // file to lint
		key   string // catalog key of the one problem expected; "" for the checker's own sentence
		none  bool   // no problem expected
		line  int
		text  string // part of the message
	}{
		{"clean pair", both(good), "zh/demo.md", "", true, 0, ""},
		{"clean pair, suffix names", map[string]string{"demo.zh.md": good, "demo.en.md": good}, "demo.en.md", "", true, 0, ""},
		{"unknown step", both(strings.Replace(good, "bind rx", "bnid rx", 1)),
			"en/demo.md", "lint.d.unknown", false, 12, `unknown step "bnid"`},
		{"bad argument", both(strings.Replace(good, "bind rx", "bind rx colour=red", 1)),
			"en/demo.md", "lint.d.no-arg", false, 12, `no argument "colour"`},
		{"bad value", both(strings.Replace(good, "socket rx udp", "socket rx sctp", 1)),
			"en/demo.md", "lint.d.values", false, 9, "must be one of udp, tcp"},
		{"socket used before it exists", both(strings.Replace(good, "bind rx", "bind tx", 1)),
			"en/demo.md", "lint.d.before", false, 12, `socket "tx" is used before`},
		{"directive outside a step", both(strings.Replace(good, "# Demo\n", "# Demo\n<!-- step: addrs -->\n", 1)),
			"en/demo.md", "lesson.step-outside", false, 7, "inside a"},
		{"no front matter id", both(strings.Replace(good, "id: demo\n", "", 1)),
			"en/demo.md", "lesson.no-id", false, 1, "no id"},
		{"an id a shell would read", both(strings.Replace(good, "id: demo", "id: srv;touch /tmp/x;true", 1)),
			"en/demo.md", "lesson.bad-id", false, 2, `"srv;touch /tmp/x;true"`},
		{"quotes nested too deep", both(strings.Replace(good, "# Demo\n", "# Demo\n"+strings.Repeat(">", 1000)+"\n", 1)),
			"en/demo.md", "lesson.too-deep", false, 7, "1000"},
		{"a step too long", both(good + strings.Repeat("words ", 7000)),
			"en/demo.md", "lesson.step-too-long", false, 11, "41.0 KiB"},
		{"code inside bold, with an escape sequence", both(strings.Replace(good, "# Demo\n", "# Demo\n\n- **call `b\x1b[2J`**: or else\n", 1)),
			"en/demo.md", "lint.code-in-bold", false, 8, `\x1b[2J`},
		{"missing translation", map[string]string{"en/demo.md": good}, "en/demo.md", "lint.missing-translation", false, 1, "zh"},
		{"no such file", both(good), "en/missing.md", "lint.not-found", false, 0, "no such file"},
		{"translation with another step", map[string]string{"en/demo.md": good, "zh/demo.md": strings.Replace(good, "bind rx", "bind rx port=9000", 1)},
			"en/demo.md", "lint.step-differs", false, 11, "port=9000"},
		{"translation with fewer steps", map[string]string{"en/demo.md": good, "zh/demo.md": strings.SplitAfter(good, "socket rx udp -->\n")[0]},
			"en/demo.md", "lint.step-count-at", false, 11, `step 2, "Bind it"`},
		{"no language in the name: one file for both languages, nothing to compare", map[string]string{"demo.md": good}, "demo.md", "", true, 0, ""},
		{"unknown experiment", both(strings.Replace(good, "bind rx", "experiment levitate", 1)),
			"en/demo.md", "lint.d.unknown-experiment", false, 12, `unknown experiment "levitate"`},
		{"prediction with one choice", both(strings.Replace(good, "bind rx", `predict choices="yes"`, 1)),
			"en/demo.md", "lint.d.two-choices", false, 12, "at least two choices"},
		{"prediction answer out of range", both(strings.Replace(good, "bind rx", `predict choices="a|b" answer=3`, 1)),
			"en/demo.md", "lint.d.answer-range", false, 12, "answer=3, but there are 2 choices"},
		{"states of a socket never made", both(strings.Replace(good, "bind rx", "states tx", 1)),
			"en/demo.md", "lint.d.before", false, 12, `socket "tx" is used before`},
		{"after marker twice", both(good + "<!-- after -->\nx\n<!-- after -->\n"),
			"en/demo.md", "lesson.after-twice", false, 15, "once"},
		{"code inside bold", both(strings.Replace(good, "# Demo\n", "# Demo\n\n- **call `bind` first**: or else\n", 1)),
			"en/demo.md", "lint.code-in-bold", false, 8, "**call `bind` first**"},
		{"code beside bold, and bold in a code block, are fine", both(strings.Replace(good, "# Demo\n", "# Demo\n\n**Bind** with `bind`.\n\n```\nx = **`y`**\n```\n", 1)),
			"en/demo.md", "", true, 0, ""},
		{"predictions may differ in words", map[string]string{"en/demo.md": strings.Replace(good, "bind rx", `predict choices="one|two" answer=2`, 1),
			"zh/demo.md": strings.Replace(good, "bind rx", `predict choices="一个|两个" answer=2`, 1)}, "en/demo.md", "", true, 0, ""},
	}
	cat := content.Text(content.English)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := write(t, tt.files)
			probs := File(filepath.Join(dir, tt.check))
			if tt.none {
				for _, p := range probs {
					t.Errorf("unexpected problem: %s", Format(cat, p))
				}
				return
			}
			if len(probs) != 1 {
				var got []string
				for _, p := range probs {
					got = append(got, Format(cat, p))
				}
				t.Fatalf("got %d problems, want 1 (%s):\n%s", len(probs), tt.key, strings.Join(got, "\n"))
			}
			p := probs[0]
			if p.Key != tt.key || p.Line != tt.line {
				t.Errorf("problem %s at line %d, want %s at line %d: %s", p.Key, p.Line, tt.key, tt.line, Format(cat, p))
			}
			if msg := Format(cat, p); strings.ContainsAny(msg, "\x1b\x07") {
				t.Errorf("message %q holds a control character", msg)
			}
			if msg := Format(cat, p); !strings.Contains(msg, tt.text) || strings.Contains(msg, "«") {
				t.Errorf("message %q lacks %q (or a catalog key is missing)", msg, tt.text)
			}
		})
	}
}

// The exercises' texts are rendered by the same renderer: no code in bold.
func TestExerciseMarkdown(t *testing.T) {
	files, _ := filepath.Glob("../../content/exercises/*/*.md")
	if len(files) == 0 {
		t.Fatal("no exercises found")
	}
	cat := content.Text(content.English)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range Markdown(f, data) {
			t.Errorf("%s", Format(cat, p))
		}
	}
}

// TestBuiltinLessonsAreClean: the lessons shipped with sockstep pass lint,
// so they can serve instructors as examples.
func TestBuiltinLessonsAreClean(t *testing.T) {
	files, _ := filepath.Glob("../../content/lessons/*/*.md")
	if len(files) == 0 {
		t.Fatal("no built-in lessons found")
	}
	cat := content.Text(content.English)
	for _, f := range files {
		for _, p := range File(f) {
			t.Errorf("%s", Format(cat, p))
		}
	}
}
