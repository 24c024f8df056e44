package lint

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"
)

// TestMistakes is one row per mistake that lint once let through and a run
// then failed on (issue 14): each is found, at its line, with a message
// in both languages that is a sentence of the catalog (no English left
// under --lang zh, no "the lesson text has a mistake" tail).
func TestMistakes(t *testing.T) {
	tcp := strings.Replace(good, "socket rx udp", "socket rx tcp", 1)
	tests := []struct {
		name  string
		files map[string]string
		key   string
		line  int
		arg   string // part of the message, in both languages
	}{
		{"port=abc", both(strings.Replace(good, "bind rx", "bind rx port=abc", 1)), "lint.d.port", 12, "port=abc"},
		{"port=99999", both(strings.Replace(good, "bind rx", "bind rx port=99999", 1)), "lint.d.port", 12, "port=99999"},
		{"listen on UDP", both(good + "\n## Listen\n<!-- step: listen rx -->\n"), "lint.d.udp-stream", 15, `"rx"`},
		{"accept on UDP", both(good + "\n## Accept\n<!-- step: accept rx as=conn -->\n"), "lint.d.udp-stream", 15, `"rx"`},
		{"destination not loopback", both(good + "\n## Send\n<!-- step: socket tx udp -->\n<!-- step: sendto tx to=192.0.2.1:9 text=hi -->\n"), "lint.d.remote", 16, "192.0.2.1:9"},
		{"misspelled step comment", both(good + "\n## Typo\n<!-- setp: bind rx -->\n"), "lint.misspelled", 15, "setp"},
		{"socket created twice", both(good + "\n## Again\n<!-- step: socket rx udp -->\n"), "lint.d.twice", 15, `"rx"`},
		{"pair names no lesson", both(strings.Replace(good, "summary: a demo\n", "summary: a demo\npair: nosuchlesson\n", 1)), "lint.no-pair", 1, "nosuchlesson"},
		{"empty title", both(strings.Replace(good, "title: Demo\n", "title:\n", 1)), "lint.no-title", 1, ""},
		{"empty summary", both(strings.Replace(good, "summary: a demo\n", "summary:\n", 1)), "lint.no-summary", 1, ""},
		{"no steps", both(strings.SplitAfter(good, "# Demo\n")[0]), "lint.no-steps", 1, ""},
		{"translation differs", map[string]string{"en/demo.md": tcp + "\n## Listen\n<!-- step: listen rx -->\n", "zh/demo.md": tcp},
			"lint.step-count-at", 14, "3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := write(t, tt.files)
			probs := File(filepath.Join(dir, "en", "demo.md"))
			var found *Problem
			for i := range probs {
				if probs[i].Key == tt.key {
					found = &probs[i]
				}
			}
			en, zh := content.Text(content.English), content.Text(content.Chinese)
			if found == nil || len(probs) != 1 {
				var got []string
				for _, p := range probs {
					got = append(got, Format(en, p))
				}
				t.Fatalf("want one %s, got %d problem(s):\n%s", tt.key, len(probs), strings.Join(got, "\n"))
			}
			if found.Line != tt.line {
				t.Errorf("at line %d, want %d: %s", found.Line, tt.line, Format(en, *found))
			}
			me, mz := Format(en, *found), Format(zh, *found)
			if me == mz || !strings.Contains(me, tt.arg) || !strings.Contains(mz, tt.arg) || strings.Contains(me+mz, "«") {
				t.Errorf("messages not in both languages, or without %q:\n en: %s\n zh: %s", tt.arg, me, mz)
			}
			if strings.Contains(me+mz, "the lesson text has a mistake") {
				t.Errorf("a redundant tail: %s / %s", me, mz)
			}
		})
	}
}

// TestAllReported: several mistakes in one file are all reported, not
// only the first.
func TestAllReported(t *testing.T) {
	text := good + "\n## More\n<!-- step: bind rx port=abc -->\n<!-- step: listen rx -->\n<!-- step: socket rx udp -->\n<!-- setp: x -->\n"
	dir := write(t, both(text))
	probs := File(filepath.Join(dir, "en", "demo.md"))
	want := map[string]bool{"lint.d.port": true, "lint.d.udp-stream": true, "lint.d.twice": true, "lint.misspelled": true}
	for _, p := range probs {
		delete(want, p.Key)
	}
	if len(want) > 0 {
		t.Errorf("not reported: %v (got %d problems)", want, len(probs))
	}
}

// TestExpandFolder: lint DIR checks every lesson in the folder.
func TestExpandFolder(t *testing.T) {
	dir := write(t, map[string]string{"en/a.md": good, "zh/a.md": good, "en/b.md": good, "zh/b.md": good, "notes.txt": "x", ".git/x.md": good})
	files, err := Expand([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 4 {
		t.Errorf("Expand(%s) = %v, want the four lessons", dir, files)
	}
}
