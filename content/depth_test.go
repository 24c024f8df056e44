package content_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"
)

// TestDepthIndentStyles: a list nested four columns per level (a common
// style) is counted one level per item, as the Markdown parser nests it;
// five levels were refused as "9 deep". Two columns per level, a quote's
// list and a list after a closed one are counted as before, and the
// limit still holds in every style.
func TestDepthIndentStyles(t *testing.T) {
	t.Parallel()
	head := "---\nid: x\n---\n## S\n"
	list := func(levels, step int, marker string) string {
		var b strings.Builder
		for i := 0; i < levels; i++ {
			b.WriteString(strings.Repeat(" ", i*step) + marker + " item\n")
		}
		return b.String()
	}
	tests := []struct {
		name  string
		body  string
		depth int // the depth refused at line, 0 when accepted
		line  int
	}{
		{"5 levels, 4 columns each", list(5, 4, "-"), 0, 0},
		{"8 levels, 4 columns each", list(8, 4, "-"), 0, 0},
		{"9 levels, 4 columns each", list(9, 4, "-"), 9, 13},
		{"8 levels, 3 columns each (1.)", list(8, 3, "1."), 0, 0},
		{"9 levels, 3 columns each (1.)", list(9, 3, "1."), 9, 13},
		{"9 levels, 2 columns each", list(9, 2, "*"), 9, 13},
		{"4-column style inside a quote is not helped", "> - a\n>     - b\n>         - c\n>             - d\n>                 - e\n", 10, 9},
		// A blank line, then a line at the margin, closes the list: a
		// later marker indented 16 columns is code.
		{"a closed list is forgotten", list(3, 4, "-") + "\ntext\n\n" + strings.Repeat(" ", 16) + "- e\n", 0, 0},
		// Without a blank line the text may continue the last item.
		{"a lazy line keeps the list", list(5, 4, "-") + "text\n" + strings.Repeat(" ", 20) + "- f\n", 0, 0},
		{"a new step forgets the list", list(5, 4, "-") + "## T\n" + strings.Repeat(" ", 16) + "- e\n", 0, 0},
		{"a tab counts as before", "- a\n\t\t\t\t\t- b\n", 11, 6},
		// A definition (":") is a level, as glamour's definition lists
		// nest it: 8 quotes in one were accepted, 9 deep.
		{"a definition is a level", "term\n: " + strings.Repeat("> ", 8) + "x\n", 9, 6},
		{"a definition's list, 4 columns each", "term\n: a\n    - b\n        - c\n", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := content.Parse("deep.md", []byte(head+tt.body))
			if tt.depth == 0 {
				if err != nil {
					t.Fatalf("refused:\n%s\n%v", tt.body, err)
				}
				return
			}
			var pe *content.ParseError
			if !errors.As(err, &pe) || pe.Key != "lesson.too-deep" || pe.Line != tt.line || len(pe.Args) == 0 || pe.Args[0] != tt.depth {
				t.Fatalf("Parse error = %v (%+v), want %d deep at line %d", err, pe, tt.depth, tt.line)
			}
		})
	}
}

// TestSizeMessages: the size of a file or step too long is said in KiB
// against the limit; a file read only one byte past the limit is "more
// than 256 KiB", never "262145 bytes".
func TestSizeMessages(t *testing.T) {
	t.Parallel()
	head := "---\nid: x\n---\n"
	for _, c := range []struct {
		src  string
		want map[content.Lang]string
	}{
		{head + strings.Repeat("## S\nshort\n", content.MaxFileBytes/11+1),
			map[content.Lang]string{content.English: "more than 256 KiB; a lesson file may hold at most 256 KiB", content.Chinese: "文件超过 256 KiB"}},
		{head + "## S\n" + strings.Repeat("words ", 7000) + "\n",
			map[content.Lang]string{content.English: "holds 41.0 KiB; a step may hold at most 32 KiB", content.Chinese: "这一节有 41.0 KiB；一个步骤最多 32 KiB"}},
	} {
		_, err := content.Parse("big.md", []byte(c.src))
		var pe *content.ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("Parse: %v", err)
		}
		for lang, want := range c.want {
			if text := pe.Text(content.Text(lang)); !strings.Contains(text, want) {
				t.Errorf("%s: %q, want %q", lang, text, want)
			}
		}
	}
}
