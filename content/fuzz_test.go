//go:build !windows

package content_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"
)

// FuzzParse reads any bytes as a lesson: the parser must not panic, and a
// lesson it accepts keeps its promises: a valid id and pair, no control
// character in any text (only newline and tab in prose), nesting within
// MaxDepth outside code, every step within MaxStepBytes, and directives
// that read back the same from their written form.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("lessons/*/*.md")
	for _, name := range files[:min(len(files), 6)] {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		sample,
		"---\nid: x\n---\n## S\n<!-- step: send c text=\"a b\" -->\n",
		"---\nid: x\ntitle: T\x1b]0;t\x07\n---\n## S &#27;\n> > > x\n",
		"---\nid: srv;touch /tmp/x\n---\n",
		"---\nid: x\n---\n## S\n<!-- step: predict choices='a|b' answer=1 -->\n<!-- after -->\nz\n",
		"---\nid: x\n---\n## S\n```\n<!-- step: bind a -->\n```\n",
	} {
		f.Add([]byte(s))
	}
	en := content.Text(content.English)
	f.Fuzz(func(t *testing.T, data []byte) {
		// Every problem has a catalog sentence and a line of the file,
		// and there are at most MaxProblems and a count of the rest.
		_, probs := content.ParseAll("fuzz.md", data)
		if len(probs) > content.MaxProblems+1 {
			t.Fatalf("%d problems", len(probs))
		}
		for _, p := range probs {
			if !en.Has(p.Key) || p.Line < 1 || p.Line > strings.Count(string(data), "\n")+1 {
				t.Fatalf("problem %+v: no catalog key, or a line outside the file", p)
			}
		}
		l, err := content.Parse("fuzz.md", data)
		if (err == nil) != (len(probs) == 0) {
			t.Fatalf("Parse error %v, ParseAll found %d problems", err, len(probs))
		}
		if err != nil {
			if l != nil {
				t.Fatalf("Parse returned a lesson and an error %v", err)
			}
			return
		}
		if !content.ValidID(l.ID) || l.Pair != "" && !content.ValidID(l.Pair) {
			t.Fatalf("accepted id %q, pair %q", l.ID, l.Pair)
		}
		texts := []string{l.Title, l.Summary, l.Role, l.Kind}
		prose := []string{l.Intro}
		for _, st := range l.Steps {
			texts = append(texts, st.Title)
			prose = append(prose, st.Body, st.After)
			if n := len(st.Title) + len(st.Body) + len(st.After); n > content.MaxStepBytes {
				t.Fatalf("step %q holds %d bytes", st.Title, n)
			}
			for _, d := range st.Directives {
				texts = append(texts, d.Action)
				texts = append(texts, d.Pos...)
				for k, v := range d.Args {
					texts = append(texts, k, v)
				}
				checkRoundTrip(t, d)
			}
		}
		for _, s := range texts {
			if i := strings.IndexFunc(s, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0 }); i >= 0 {
				t.Fatalf("text %q keeps a control character", s)
			}
		}
		for _, s := range prose {
			if i := strings.IndexFunc(s, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' || r == 0x7f || r >= 0x80 && r < 0xa0 }); i >= 0 {
				t.Fatalf("prose %q keeps a control character", s)
			}
		}
	})
}

// checkRoundTrip: a directive written back by String reads as itself.
func checkRoundTrip(t *testing.T, d content.Directive) {
	t.Helper()
	src := "---\nid: x\n---\n## S\n<!-- step: " + d.String() + " -->\n"
	l, err := content.Parse("again.md", []byte(src))
	if err != nil || len(l.Steps) != 1 || len(l.Steps[0].Directives) != 1 {
		t.Fatalf("directive %#v written as %q does not read back: %v", d, d.String(), err)
	}
	got := l.Steps[0].Directives[0]
	got.Line = d.Line
	if len(got.Pos) == 0 && len(d.Pos) == 0 {
		got.Pos = d.Pos
	}
	if !reflect.DeepEqual(got, d) {
		t.Fatalf("directive %#v written as %q reads back as %#v", d, d.String(), got)
	}
}

// FuzzDepthBound checks Depth against the Markdown parser glamour uses
// (goldmark): in any text Parse accepts, block quotes and lists nest no
// deeper than MaxDepth, so the renderer's cubic cost stays bounded.
func FuzzDepthBound(f *testing.F) {
	for _, s := range []string{
		"> > > x\n", "- a\n  - b\n    - c\n", "1. a\n   1. b\n", "- > - > x\n", "- item\n  ```\n> > >\n",
		"``` a`b\n>>>>\n```\n", "\t- a\n\t\t- b\n", "> - a\n>   - b\n", "-\n  -\n    -\n", "* + - 1) x\n", "a\n: b\n\n    c\n    : d\n", "a\n:   b\n    :   c\n",
		// Items remembered across lines (depthCounter).
		"- a\n    - b\n        - c\n", "-\ta\n    - b\n", "> - a\n  - b\n", "- a\n\n  b\n      - c\n", "a\n: b\n    - c\n",
		"1. a\n\n   - b\n", "- a\nlazy\n    - b\n", "- > - a\n  >   - b\n", "10) a\n    - b\n\n x\n    - c\n",
		"t\n: > > > > > > > > x\n", "-\t- 1. x\n           - x\n", " \t- x\n      : 1. 1.\tx\n", "  - x\n \t- x\n      - x\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			return
		}
		l, err := content.Parse("depth.md", []byte("---\nid: x\n---\n## S\n"+s))
		if err != nil {
			return
		}
		for _, md := range []string{l.Intro, l.Steps[0].Body, l.Steps[0].After} {
			// As glamour builds it (glamour.go: GFM and definition lists).
			deepest := content.GoldmarkDepth(md)
			if deepest > content.MaxDepth {
				t.Fatalf("Parse accepted text that nests %d deep (at most %d):\n%q", deepest, content.MaxDepth, md)
			}
		}
	})
}
