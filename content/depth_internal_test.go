package content

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// gmDeepest is how deep goldmark, as glamour builds it (GFM and
// definition lists), nests block quotes, lists and definition lists.
func gmDeepest(src string) int {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.DefinitionList))
	doc := md.Parser().Parse(text.NewReader([]byte(src)))
	d := 0
	var walk func(n ast.Node, depth int)
	walk = func(n ast.Node, depth int) {
		switch n.Kind() {
		case ast.KindBlockquote, ast.KindList, extast.KindDefinitionList:
			depth++
		}
		d = max(d, depth)
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			walk(c, depth)
		}
	}
	walk(doc, 0)
	return d
}

// TestDepthCounterBound compares depthCounter with the Markdown parser
// glamour uses (goldmark) on random documents built to nest: lists
// indented 0 to 5 columns deeper per line, block quotes, definitions,
// tabs, blank and lazy lines. The count must never be below goldmark's
// nesting (FuzzDepthBound checks the same through Parse, from its
// corpus). Two million such documents passed when it was written; the
// test runs a fixed hundred thousand.
func TestDepthCounterBound(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	toks := []string{"- ", "- ", "1. ", "* ", "-   ", "1.  ", "+ ", "10) ", "> ", ">", ": ", "-\t", "1.\t", "-", "text ", "    ", "  ", " ", "\t", "# h", "***", "<div>", "2. ", "[a]: b", "| a |"}
	bad, exact := 0, 0
	for n := 0; n < 100000 && bad < 5; n++ {
		var b strings.Builder
		ind := 0
		for range 1 + r.IntN(20) {
			if r.IntN(5) == 0 {
				b.WriteString("\n")
				continue
			}
			if r.IntN(10) < 7 {
				ind += r.IntN(6)
			} else {
				ind = max(0, ind-r.IntN(10))
			}
			if r.IntN(4) == 0 {
				b.WriteString(strings.Repeat(">", r.IntN(3)) + strings.Repeat(" ", r.IntN(3)))
			}
			b.WriteString(strings.Repeat(" ", ind))
			if r.IntN(15) == 0 {
				b.WriteString("\t")
			}
			for range 1 + r.IntN(3) {
				b.WriteString(toks[r.IntN(len(toks))])
			}
			if r.IntN(4) > 0 {
				b.WriteString("x")
			}
			b.WriteString("\n")
		}
		s := b.String()
		var dc depthCounter
		counted := 0
		for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
			counted = max(counted, dc.line(l))
		}
		switch g := gmDeepest(s); {
		case g > counted:
			bad++
			t.Errorf("counted %d, goldmark nests %d:\n%q", counted, g, s)
		case g == counted:
			exact++
		}
	}
	t.Logf("counted exactly in %d of the documents", exact)
}
