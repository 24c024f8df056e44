package lessons_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"
)

// The words a session says itself (Session.text, comment, data,
// msComment's key, a LabError's sentence) are catalog keys written in the
// Go source. Each one the package names as a literal exists in both
// catalogs, with the verbs its arguments need: a missing key would show
// as «key» only on the path that says it, an error path a sweep of the
// lessons never takes.
func TestSessionTextKeysExist(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	// keyArg is where the key stands in each function's arguments.
	keyArg := map[string]int{"text": 0, "comment": 0, "labFailed": 1}
	found := 0
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var fn string
			switch e := call.Fun.(type) {
			case *ast.Ident:
				fn = e.Name
			case *ast.SelectorExpr:
				fn = e.Sel.Name
			}
			i, ok := keyArg[fn]
			if !ok || len(call.Args) <= i {
				return true
			}
			lit, ok := call.Args[i].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			found++
			args := len(call.Args) - i - 1
			if fn == "labFailed" {
				args-- // the English format comes before the arguments
			}
			for _, lang := range content.Langs {
				cat := content.Text(lang)
				switch {
				case !cat.Has(key):
					t.Errorf("%s: %s(%q): no such message in the %s catalog", fset.Position(lit.Pos()), fn, key, lang)
				case (args > 0) != cat.TakesArgs(key):
					t.Errorf("%s: %s(%q) passes %d argument(s); the %s message is %q", fset.Position(lit.Pos()), fn, key, args, lang, cat.T(key))
				}
			}
			return true
		})
	}
	if found < 40 {
		t.Errorf("found %d keys in the package's calls of text, comment and labFailed; the parse missed them", found)
	}
}
