package lint

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"
)

// Two lessons of one language in one course with the same id: the later
// is reported at its id: line, naming the earlier. Two languages of one
// lesson, and lessons in different folders, are not.
func TestSameIDs(t *testing.T) {
	other := strings.Replace(good, "title: Demo", "title: Other", 1)
	for _, c := range []struct {
		name  string
		files map[string]string
		want  []string // "file:earlier" of each problem
	}{
		{"zh/ and en/ of one lesson", both(good), nil},
		{"NAME.zh.md and NAME.en.md", map[string]string{"demo.zh.md": good, "demo.en.md": good}, nil},
		{"two files of one language", map[string]string{"en/demo.md": good, "en/other.md": other}, []string{"en/other.md:en/demo.md"}},
		{"flat, one language", map[string]string{"a.en.md": good, "b.en.md": other, "b.zh.md": other}, []string{"b.en.md:a.en.md"}},
		{"a file for both languages and one for English", map[string]string{"a.md": good, "b.en.md": other}, []string{"b.en.md:a.md"}},
		{"two folders, two courses", map[string]string{"one/a.md": good, "two/a.md": good}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := write(t, c.files)
			files, err := Expand([]string{dir})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range SameIDs(files) {
				rel, _ := filepath.Rel(dir, p.File)
				prev, _ := filepath.Rel(dir, p.Args[1].(string))
				if p.Key != "lesson.same-id" || p.Line != 2 || p.Args[0] != "demo" {
					t.Errorf("problem %+v", p)
				}
				got = append(got, rel+":"+prev)
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// TestFilesMergeSameIDs: a file's id shared with another file is one of
// its problems, in the order of its lines (line 2 before line 12), and
// said as a whole sentence in both languages.
func TestFilesMergeSameIDs(t *testing.T) {
	other := strings.Replace(strings.Replace(good, "title: Demo", "title: Other", 1), "bind rx", "bind rx port=abc", 1)
	dir := write(t, map[string]string{"a.md": good, "b.md": other})
	files, err := Expand([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	lists := Files(files, true)
	if len(lists) != 2 || len(lists[0]) != 0 || len(lists[1]) != 2 {
		t.Fatalf("problems %+v", lists)
	}
	if a, b := lists[1][0], lists[1][1]; a.Line != 2 || a.Key != "lesson.same-id" || b.Line != 12 || b.Key != "lint.d.port" {
		t.Errorf("not in the order of the lines: %+v", lists[1])
	}
	for _, lang := range content.Langs {
		if msg := Format(content.Text(lang), lists[1][0]); !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "。") {
			t.Errorf("%s: no full stop: %s", lang, msg)
		}
	}
}
