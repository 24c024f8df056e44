//go:build !windows

package content_test

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode"

	"golang.org/x/sys/unix"

	"github.com/sockstep/sockstep/content"
)

const sample = `---
id: udp-recv
title: UDP receiver
summary: create, bind: a summary: with colons
order: 30
kind: lesson
---

# A heading that is not the title

Intro text.

## Create
<!-- step: socket rx udp -->

Prose about socket.

## Two calls in one step
<!-- step: socket wrong udp -->
Prose between directives.
<!--step:bind wrong addr=192.0.2.1:7788 expect=EADDRNOTAVAIL-->
   <!--   step:   close wrong   -->

## Code is not a directive

` + "```markdown" + `
## Not a step
<!-- step: socket fenced udp -->
` + "```" + `

~~~
<!-- step: socket tilde udp -->
~~~

Inline <!-- step: socket inline udp --> stays prose.

### A sub-heading is not a step
<!-- step: sendto tx to=rx text="hello, receiver" repeat=yes -->

## Prose only
Nothing runs here.
`

func TestParse(t *testing.T) {
	t.Parallel()
	l, err := content.Parse("sample.md", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if l.ID != "udp-recv" || l.Title != "UDP receiver" || l.Summary != "create, bind: a summary: with colons" ||
		l.Order != 30 || l.Kind != content.KindLesson || l.Source != "sample.md" {
		t.Errorf("front matter = %+v", l)
	}
	if l.Intro != "# A heading that is not the title\n\nIntro text." {
		t.Errorf("intro = %q", l.Intro)
	}
	var titles []string
	for _, st := range l.Steps {
		titles = append(titles, st.Title)
	}
	want := []string{"Create", "Two calls in one step", "Code is not a directive", "Prose only"}
	if !reflect.DeepEqual(titles, want) {
		t.Fatalf("steps = %q, want %q", titles, want)
	}
	lines := []int{13, 18, 24, 40}
	for i, st := range l.Steps {
		if st.Line != lines[i] {
			t.Errorf("step %q on line %d, want %d", st.Title, st.Line, lines[i])
		}
	}

	d := l.Steps[0].Directives
	if len(d) != 1 || d[0].Action != "socket" || !reflect.DeepEqual(d[0].Pos, []string{"rx", "udp"}) || len(d[0].Args) != 0 || d[0].Line != 14 {
		t.Errorf("step 1 directives = %+v", d)
	}
	if l.Steps[0].Body != "Prose about socket." {
		t.Errorf("step 1 body = %q: directives must be removed", l.Steps[0].Body)
	}

	d = l.Steps[1].Directives
	if len(d) != 3 {
		t.Fatalf("step 2 directives = %+v, want 3", d)
	}
	if d[1].Action != "bind" || d[1].Args["addr"] != "192.0.2.1:7788" || d[1].Args["expect"] != "EADDRNOTAVAIL" || d[1].Line != 21 {
		t.Errorf("directive without spaces = %+v", d[1])
	}
	if d[2].Action != "close" || !reflect.DeepEqual(d[2].Pos, []string{"wrong"}) || d[2].Line != 22 {
		t.Errorf("indented directive = %+v", d[2])
	}
	if l.Steps[1].Body != "Prose between directives." {
		t.Errorf("step 2 body = %q", l.Steps[1].Body)
	}

	st := l.Steps[2]
	if len(st.Directives) != 1 || st.Directives[0].Action != "sendto" {
		t.Fatalf("step 3 directives = %+v, want only the sendto after the code", st.Directives)
	}
	sd := st.Directives[0]
	if !reflect.DeepEqual(sd.Pos, []string{"tx"}) || !reflect.DeepEqual(sd.Args, map[string]string{"to": "rx", "text": "hello, receiver", "repeat": "yes"}) {
		t.Errorf("quoted directive = %+v", sd)
	}
	for _, keep := range []string{"## Not a step", "socket fenced udp", "socket tilde udp", "Inline <!-- step: socket inline udp --> stays prose.", "### A sub-heading"} {
		if !strings.Contains(st.Body, keep) {
			t.Errorf("step 3 body lost %q:\n%s", keep, st.Body)
		}
	}
	if l.Steps[3].Directives != nil || l.Steps[3].Body != "Nothing runs here." {
		t.Errorf("prose-only step = %+v", l.Steps[3])
	}
}

func TestParseDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src        string
		title, kind      string
		intro            string
		steps, firstLine int
	}{
		{"title from the first heading", "---\nid: x\n---\n# Heading\n## S\n", "Heading", content.KindLesson, "# Heading", 1, 5},
		{"title from the id", "---\nid: x\n---\n## S\n# Inside\n", "x", content.KindLesson, "", 1, 4},
		{"kind experiment", "---\nid: x\nkind: experiment\n---\n", "x", content.KindExperiment, "", 0, 0},
		{"kind exercise, CRLF", "---\r\nid: x\r\nkind: exercise\r\ntitle: T\r\n---\r\n\r\n## S\r\nbody\r\n", "T", content.KindExercise, "", 1, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, err := content.Parse("x.md", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if l.Title != tt.title || l.Kind != tt.kind || l.Intro != tt.intro || len(l.Steps) != tt.steps {
				t.Errorf("got title %q kind %q intro %q, %d steps", l.Title, l.Kind, l.Intro, len(l.Steps))
			}
			if tt.steps > 0 && l.Steps[0].Line != tt.firstLine {
				t.Errorf("first step on line %d, want %d", l.Steps[0].Line, tt.firstLine)
			}
			if strings.Contains(l.Title+l.Intro, "\r") || (tt.steps > 0 && strings.Contains(l.Steps[0].Body, "\r")) {
				t.Error("carriage returns kept")
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		line int
		key  string
		msg  string // part of the English sentence
	}{
		{"no front matter", "# Title\n## S\n", 1, "lesson.no-id", "no id"},
		{"no id", "---\ntitle: T\n---\n", 1, "lesson.no-id", "no id"},
		{"front matter not closed", "---\nid: x\n## S\n", 1, "lesson.front-open", "not closed"},
		{"front matter not closed at all", "---\nid: x\n", 1, "lesson.front-open", "not closed"},
		{"not key: value", "---\nid: x\njust words\n---\n", 3, "lesson.front-line", "key: value"},
		{"unknown key", "---\nid: x\nauthor: me\n---\n", 3, "lesson.front-unknown", `unknown front matter key "author"`},
		{"key twice", "---\nid: x\ntitle: a\ntitle: b\n---\n", 4, "lesson.front-twice", "title: is given twice"},
		{"order not a number", "---\nid: x\norder: first\n---\n", 3, "lesson.bad-order", "whole number"},
		{"unknown kind", "---\nid: x\nkind: quiz\n---\n", 3, "lesson.bad-kind", `kind: "quiz"`},
		{"directive outside a section", "---\nid: x\n---\nintro\n<!-- step: socket a udp -->\n## S\n", 5, "lesson.step-outside", `inside a "## " section`},
		{"bad quoting", "---\nid: x\n---\n## S\n\n<!-- step: send c text=\"unclosed -->\n", 6, "lesson.directive-quote", "cannot read the step directive"},
		{"lone backslash", "---\nid: x\n---\n## S\n<!-- step: send c \\ -->\n", 5, "lesson.directive-escape", "lone backslash"},
		{"empty directive", "---\nid: x\n---\n## S\n<!-- step: -->\n", 5, "lesson.directive-empty", "names no action"},
		{"action not a word", "---\nid: x\n---\n## S\n<!-- step: Bind a -->\n", 5, "lesson.directive-action", `"Bind"`},
		{"argument twice", "---\nid: x\n---\n## S\n<!-- step: bind a port=1 port=2 -->\n", 5, "lesson.directive-twice", `argument "port" is given twice`},
		{"positional after key=value", "---\nid: x\n---\n## S\n<!-- step: bind port=1 a -->\n", 5, "lesson.directive-order", `positional word "a" comes after`},
		{"bad role", "---\nid: x\nrole: boss\n---\n", 3, "lesson.bad-role", `server or client`},
		{"after outside a step", "---\nid: x\n---\nintro\n<!-- after -->\n## S\n", 5, "lesson.after-outside", `inside a "## " section`},
		{"after twice", "---\nid: x\n---\n## S\n<!-- after -->\na\n<!-- after -->\n", 7, "lesson.after-twice", `once`},
	}
	en, zh := content.Text(content.English), content.Text(content.Chinese)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, err := content.Parse("bad.md", []byte(tt.src))
			var pe *content.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse = %+v, %v; want a *ParseError", l, err)
			}
			if l != nil {
				t.Errorf("Parse returned a lesson with its error")
			}
			if pe.File != "bad.md" || pe.Line != tt.line || pe.Key != tt.key || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("error = %q (line %d, key %s), want line %d, key %s, with %q", err, pe.Line, pe.Key, tt.line, tt.key, tt.msg)
			}
			if want := "bad.md:" + strconv.Itoa(tt.line) + ": "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Error() = %q, want it to start %q", err, want)
			}
			// Said in each language by the catalog, the English as Msg says it.
			me, mz := content.ErrorText(en, err), content.ErrorText(zh, err)
			if me != err.Error()+"." {
				t.Errorf("English catalog text %q differs from Error() %q", me, err)
			}
			if !en.Has(tt.key) || !zh.Has(tt.key) || mz == me || !containsHan(mz) {
				t.Errorf("%s is not said in Chinese: %q", tt.key, mz)
			}
		})
	}
}

// containsHan reports whether s has a Chinese character.
func containsHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// A lesson with several problems has them all reported, each at its line,
// in the order of the lines, and Parse refuses it with all of them.
func TestParseAll(t *testing.T) {
	t.Parallel()
	src := "---\nid: Bad One\norder: abc\nrole: boss\ncolour: red\nkind: quiz\nno colon here\n---\n# T\n" +
		"<!-- step: socket rx udp -->\n<!-- after -->\n## S\n<!-- step: send rx text=\"open -->\n<!-- step: bind rx -->\n"
	want := []struct {
		line int
		key  string
	}{
		{2, "lesson.bad-id"}, {3, "lesson.bad-order"}, {4, "lesson.bad-role"}, {5, "lesson.front-unknown"},
		{6, "lesson.bad-kind"}, {7, "lesson.front-line"}, {10, "lesson.step-outside"}, {11, "lesson.after-outside"},
		{13, "lesson.directive-quote"},
	}
	l, probs := content.ParseAll("bad.md", []byte(src))
	var got []string
	for _, p := range probs {
		got = append(got, fmt.Sprintf("%d %s", p.Line, p.Key))
	}
	var exp []string
	for _, w := range want {
		exp = append(exp, fmt.Sprintf("%d %s", w.line, w.key))
	}
	if !reflect.DeepEqual(got, exp) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(exp, "\n"))
	}
	// What could be read is kept: the stray socket as step S's first
	// directive, the bind after the unreadable send.
	if l == nil || len(l.Steps) != 1 || len(l.Steps[0].Directives) != 2 || l.Steps[0].Directives[0].Action != "socket" || l.Steps[0].Directives[1].Action != "bind" {
		t.Errorf("lesson read = %+v", l)
	}
	for _, p := range probs {
		if p.Gap != (p.Key == "lesson.directive-quote") {
			t.Errorf("%s: Gap = %v", p.Key, p.Gap)
		}
	}
	// Parse refuses the lesson with every problem, one a line.
	_, err := content.Parse("bad.md", []byte(src))
	if lines := strings.Split(content.ErrorText(content.Text(content.Chinese), err), "\n"); len(lines) != len(want) {
		t.Errorf("Parse error has %d lines, want %d: %v", len(lines), len(want), err)
	}
	// Unclosed front matter: nothing after it is read, one problem.
	if l, probs := content.ParseAll("open.md", []byte("---\nid: x\norder: abc\n## S\n")); l != nil || len(probs) != 1 || probs[0].Key != "lesson.front-open" {
		t.Errorf("unclosed front matter: %+v, %+v", l, probs)
	}
}

// However many mistakes a file holds, at most MaxProblems are listed,
// then one line counts the rest.
func TestParseAllBounded(t *testing.T) {
	t.Parallel()
	src := "---\nid: x\n---\n## S\n" + strings.Repeat(strings.Repeat(">", 20)+"\n", 1000)
	_, probs := content.ParseAll("deep.md", []byte(src))
	if len(probs) != content.MaxProblems+1 {
		t.Fatalf("%d problems, want %d", len(probs), content.MaxProblems+1)
	}
	last := probs[len(probs)-1]
	if last.Key != "lesson.more-problems" || last.Args[0] != 1000-content.MaxProblems {
		t.Errorf("last problem = %+v", last)
	}
}

// String writes a directive back in a form Parse reads as the same
// directive.
func TestDirectiveString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d    content.Directive
		want string
	}{
		{content.Directive{Action: "addrs"}, "addrs"},
		{content.Directive{Action: "socket", Pos: []string{"rx", "udp"}, Args: map[string]string{"by": "peer", "family": "4"}}, "socket rx udp by=peer family=4"},
		{content.Directive{Action: "sendto", Pos: []string{"tx"}, Args: map[string]string{"text": "a|b", "to": "rx"}}, `sendto tx text="a|b" to=rx`},
		{content.Directive{Action: "send", Pos: []string{"c"}, Args: map[string]string{"text": `say "hi", \ back`}}, `send c text="say \"hi\", \\ back"`},
		{content.Directive{Action: "send", Pos: []string{"c"}, Args: map[string]string{"text": ""}}, `send c text=""`},
		{content.Directive{Action: "send", Pos: []string{"c"}, Args: map[string]string{"text": "你好，接收方"}}, "send c text=你好，接收方"},
		{content.Directive{Action: "send", Pos: []string{"c"}, Args: map[string]string{"text": "it's"}}, `send c text="it's"`},
	}
	for _, tt := range tests {
		got := tt.d.String()
		if got != tt.want {
			t.Errorf("String() = %s, want %s", got, tt.want)
		}
		l, err := content.Parse("rt.md", []byte("---\nid: rt\n---\n## S\n<!-- step: "+got+" -->\n"))
		if err != nil {
			t.Errorf("Parse(%s): %v", got, err)
			continue
		}
		back := l.Steps[0].Directives[0]
		if back.Action != tt.d.Action || !reflect.DeepEqual(back.Pos, tt.d.Pos) || len(back.Args) != len(tt.d.Args) {
			t.Errorf("round trip of %s = %+v", got, back)
		}
		for k, v := range tt.d.Args {
			if back.Args[k] != v {
				t.Errorf("round trip of %s: %s=%q, want %q", got, k, back.Args[k], v)
			}
		}
	}
}

func TestLoadDir(t *testing.T) {
	t.Parallel()
	doc := func(id, order, kind string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\nid: " + id + "\norder: " + order + "\nkind: " + kind + "\n---\n## S\n")}
	}
	fsys := fstest.MapFS{
		"mine/zh/b.md":      doc("b", "20", "lesson"),
		"mine/zh/a.md":      doc("a", "20", "lesson"),
		"mine/zh/first.md":  doc("z", "10", "experiment"),
		"mine/zh/notes.txt": &fstest.MapFile{Data: []byte("not a lesson")},
		"mine/zh/sub/c.md":  doc("c", "1", "lesson"),
		"broken/en/x.md":    &fstest.MapFile{Data: []byte("no front matter")},
	}
	ls, err := content.LoadDir(fsys, "mine/zh")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range ls {
		ids = append(ids, l.ID)
		if l.Lang != content.Chinese {
			t.Errorf("%s: Lang = %q, want zh from the directory name", l.ID, l.Lang)
		}
	}
	if strings.Join(ids, " ") != "z a b" {
		t.Errorf("LoadDir order = %q, want by order then id: z a b", ids)
	}
	_, err = content.LoadDir(fsys, "broken/en")
	var pe *content.ParseError
	if !errors.As(err, &pe) || pe.File != "broken/en/x.md" {
		t.Errorf("LoadDir of a broken file = %v, want a ParseError naming it", err)
	}
	if ls, err := content.LoadDir(fsys, "nothing/here"); err != nil || len(ls) != 0 {
		t.Errorf("LoadDir of an empty directory = %v, %v", ls, err)
	}
	if _, err := content.LoadDir(fsys, "[bad"); !errors.Is(err, path.ErrBadPattern) {
		t.Errorf("LoadDir with a bad pattern = %v", err)
	}
}

func TestBuiltin(t *testing.T) {
	t.Parallel()
	for _, lang := range content.Langs {
		all, err := content.Builtin(lang, "")
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		if len(all) == 0 {
			t.Fatalf("no built-in documents in %s", lang)
		}
		ids := map[string]bool{}
		for i, l := range all {
			if l.Lang != lang || l.ID == "" || l.Title == "" || l.Summary == "" || len(l.Steps) == 0 {
				t.Errorf("%s/%s: incomplete lesson: lang %q title %q summary %q, %d steps", lang, l.ID, l.Lang, l.Title, l.Summary, len(l.Steps))
			}
			if ids[l.ID] {
				t.Errorf("%s: id %s twice", lang, l.ID)
			}
			ids[l.ID] = true
			if i > 0 && all[i-1].Order > l.Order {
				t.Errorf("%s: %s (order %d) listed after %s (order %d)", lang, l.ID, l.Order, all[i-1].ID, all[i-1].Order)
			}
		}
		lessons, err := content.Builtin(lang, content.KindLesson)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lessons {
			if l.Kind != content.KindLesson {
				t.Errorf("Builtin(%s, lesson) returned a %s: %s", lang, l.Kind, l.ID)
			}
		}
		if none, err := content.Builtin(lang, "no-such-kind"); err != nil || len(none) != 0 {
			t.Errorf("Builtin with an unknown kind = %v, %v", none, err)
		}
	}
}

// A fence closes only with the same kind of fence (CommonMark): a ``` line
// inside a ~~~ block is code, and does not open or close anything.
func TestParseFenceKinds(t *testing.T) {
	t.Parallel()
	src := "---\nid: x\n---\n## How to show code\nStart a line with three backticks:\n\n~~~\n```\n~~~\n\n## Next\n<!-- step: socket a udp -->\n"
	l, err := content.Parse("x.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Steps) != 2 || len(l.Steps[1].Directives) != 1 {
		var titles []string
		for _, st := range l.Steps {
			titles = append(titles, st.Title)
		}
		t.Errorf("steps = %q; want the step after the ~~~ block, with its directive", titles)
	}
}

// Text below <!-- after --> is the step's After, not its Body; a marker in
// a code block is text.
func TestParseAfter(t *testing.T) {
	t.Parallel()
	src := "---\nid: x\n---\n## S\nbefore\n<!-- step: socket a udp -->\n```\n<!-- after -->\n```\n<!-- after -->\nafter\n## T\nnext\n"
	l, err := content.Parse("x.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := l.Steps[0].Body, "before\n```\n<!-- after -->\n```"; got != want {
		t.Errorf("Body = %q, want %q", got, want)
	}
	if got := l.Steps[0].After; got != "after" {
		t.Errorf("After = %q, want %q", got, "after")
	}
	if l.Steps[1].After != "" || l.Steps[1].Body != "next" {
		t.Errorf("second step = %+v", l.Steps[1])
	}
}

// Two-terminal lessons come in pairs: each names the other, with the
// opposite role, in every language.
func TestRolePairs(t *testing.T) {
	t.Parallel()
	for _, lang := range content.Langs {
		ls, err := content.Builtin(lang, "")
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]*content.Lesson{}
		for _, l := range ls {
			byID[l.ID] = l
		}
		pairs := 0
		for _, l := range ls {
			if l.Role == "" && l.Pair == "" {
				continue
			}
			pairs++
			p := byID[l.Pair]
			switch {
			case l.Role == "" || l.Pair == "":
				t.Errorf("%s/%s: role %q and pair %q go together", lang, l.ID, l.Role, l.Pair)
			case p == nil:
				t.Errorf("%s/%s: pair %q does not exist", lang, l.ID, l.Pair)
			case p.Pair != l.ID || p.Role == l.Role:
				t.Errorf("%s/%s (%s) and its pair %s (%s, pair %s) do not match", lang, l.ID, l.Role, p.ID, p.Role, p.Pair)
			}
		}
		if pairs < 4 {
			t.Errorf("%s: %d two-terminal lessons, want the TCP and the UDP pair", lang, pairs)
		}
	}
}

// A closing ** right after Chinese punctuation and right before a
// character does not close in CommonMark ("？**以及" stays literal), so the
// learner would see asterisks. Bold text must end before the punctuation.
func TestChineseEmphasisCloses(t *testing.T) {
	t.Parallel()
	ls, err := content.Builtin(content.Chinese, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		texts := []string{l.Intro}
		for _, st := range l.Steps {
			texts = append(texts, st.Body, st.After)
		}
		for _, text := range texts {
			for _, line := range strings.Split(text, "\n") {
				parts := strings.Split(line, "**")
				for i := 1; i+1 < len(parts); i += 2 {
					inner, after := []rune(parts[i]), []rune(parts[i+1])
					if len(inner) == 0 || len(after) == 0 {
						continue
					}
					last, next := inner[len(inner)-1], after[0]
					if unicode.IsPunct(last) && !unicode.IsPunct(next) && !unicode.IsSpace(next) {
						t.Errorf("%s: bold text ends with %q right before %q, so it never closes: %s", l.Source, last, next, line)
					}
				}
			}
		}
	}
}

// Markdown gives the text back without directives, with each step's
// after-prose below it and the headings the caller asks for.
func TestLessonMarkdown(t *testing.T) {
	t.Parallel()
	src := "---\nid: m\ntitle: M\n---\nIntro.\n\n## One\n\nBody one.\n<!-- step: socket rx udp -->\n<!-- after -->\nAfter one.\n\n## Two\n\nBody two.\n"
	l, err := content.Parse("m.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := l.Markdown(nil)
	for _, want := range []string{"Intro.", "## One", "Body one.", "After one.", "## Two", "Body two."} {
		if !strings.Contains(got, want) {
			t.Errorf("Markdown(nil) lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "step:") || strings.Index(got, "After one.") > strings.Index(got, "## Two") {
		t.Errorf("Markdown(nil) kept a directive or misplaced the after-prose:\n%s", got)
	}
	numbered := l.Markdown(func(i int) string { return fmt.Sprintf("Step %d: %s", i+1, l.Steps[i].Title) })
	if !strings.Contains(numbered, "## Step 2: Two") {
		t.Errorf("Markdown(heading) = \n%s", numbered)
	}
}

// Lesson ids (and the pair a lesson names) become words on command lines
// and keys in the progress file: only [a-z0-9-] is accepted, and the error
// is said in the learner's language with the id's control bytes escaped.
func TestParseIDs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key, value string
		ok         bool
	}{
		{"id", "tcp-server", true},
		{"id", "exp2", true},
		{"id", strings.Repeat("a", 64), true},
		{"id", strings.Repeat("a", 65), false},
		{"id", "srv;touch /tmp/x;true", false},
		{"id", "cli$(id)", false},
		{"id", "a b", false},
		{"id", "TCP", false},
		{"id", "-rf", false},
		{"id", "x\x1b]0;pwned\x07", false},
		{"id", "服务器", false},
		{"id", "../x", false},
		{"pair", "tcp-client", true},
		{"pair", "cli$(reboot)", false},
		{"pair", "a'b", false},
	}
	zh := content.Text(content.Chinese)
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			t.Parallel()
			src := "---\nid: x\nrole: server\npair: y\n---\n"
			if tt.key == "id" {
				src = strings.Replace(src, "id: x", "id: "+tt.value, 1)
			} else {
				src = strings.Replace(src, "pair: y", "pair: "+tt.value, 1)
			}
			l, err := content.Parse("bad.md", []byte(src))
			if tt.ok {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			var pe *content.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse = %+v, %v; want a *ParseError", l, err)
			}
			line := map[string]int{"id": 2, "pair": 4}[tt.key]
			if pe.Line != line || pe.Key != "lesson.bad-"+tt.key {
				t.Errorf("error at line %d with key %q, want line %d, key lesson.bad-%s", pe.Line, pe.Key, line, tt.key)
			}
			text := content.ErrorText(zh, fmt.Errorf("wrapped: %w", err))
			if !strings.Contains(text, "a-z") || !strings.Contains(text, "小写字母") || strings.ContainsAny(text, "\x1b\x07") {
				t.Errorf("Chinese error = %q: want the catalog's sentence, with no control byte", text)
			}
		})
	}
}

func TestDepth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want int
	}{
		{"plain text", 0},
		{"> quoted", 1},
		{"> > > x", 3},
		{">>>>", 4},
		{"- item", 1},
		{"  - nested item", 2},
		{"    - third level", 3},
		{"1. first", 1},
		{"   1) nested", 2},
		{"- > - > x", 4},
		{"---", 0},
		{"***bold***", 0},
		{"-1 is a number", 0},
		{"2024. was a year", 1},
		{"12345678901. too long for a list", 0},
		{"        indented code", 0},
		{"\t- tab-indented item", 3},
		{strings.Repeat(">", 1000), 1000},
	}
	for _, tt := range tests {
		if got := content.Depth(tt.line); got != tt.want {
			t.Errorf("Depth(%.20q) = %d, want %d", tt.line, got, tt.want)
		}
	}
}

// A lesson that would make the renderer work for minutes is refused when it
// is read, at the line that goes too far, before anything renders it.
func TestParseLimits(t *testing.T) {
	t.Parallel()
	head := "---\nid: x\n---\n"
	tests := []struct {
		name string
		src  string
		key  string // "" when the lesson is accepted
		line int
	}{
		{"quotes at the limit", head + "## S\n" + strings.Repeat("> ", content.MaxDepth) + "x\n", "", 0},
		{"1000 quotes", head + "## S\ntext\n" + strings.Repeat(">", 1000) + " x\n", "lesson.too-deep", 6},
		{"quotes in the intro", head + strings.Repeat(">", 9) + "\n", "lesson.too-deep", 4},
		{"deep list", head + "## S\n" + func() string {
			var b strings.Builder
			for i := 0; i < 12; i++ {
				b.WriteString(strings.Repeat("  ", i) + "- item\n")
			}
			return b.String()
		}(), "lesson.too-deep", 13},
		{"quotes inside a code block are code", head + "## S\n```\n" + strings.Repeat(">", 1000) + "\n```\n", "", 0},
		{"a fence in a list item ends with it", head + "## S\n- item\n  ```\n" + strings.Repeat(">", 1000) + "\n", "lesson.too-deep", 7},
		{"``` with a backtick after it opens no fence", head + "## S\n``` a`b\n" + strings.Repeat(">", 1000) + "\n```\n", "lesson.too-deep", 6},
		{"~~~ may have backticks after it", head + "## S\n~~~ a`b\n" + strings.Repeat(">", 1000) + "\n~~~\n", "", 0},
		{"step at the limit", head + "## S\n" + strings.Repeat("x", content.MaxStepBytes-1) + "\n", "", 0},
		{"step too long", head + "intro\n## S\n" + strings.Repeat("word ", content.MaxStepBytes/5+1) + "\n## T\n", "lesson.step-too-long", 5},
		{"after-text counts", head + "## S\nx\n<!-- after -->\n" + strings.Repeat("y", content.MaxStepBytes) + "\n", "lesson.step-too-long", 4},
		{"intro too long", head + strings.Repeat("z", content.MaxStepBytes+1) + "\n## S\n", "lesson.step-too-long", 4},
		{"file too long", head + strings.Repeat("## S\nshort\n", content.MaxFileBytes/11+1), "lesson.file-too-long", 1},
	}
	zh := content.Text(content.Chinese)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := content.Parse("deep.md", []byte(tt.src))
			if tt.key == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			var pe *content.ParseError
			if !errors.As(err, &pe) || pe.Key != tt.key || pe.Line != tt.line {
				t.Fatalf("Parse error = %v (%+v), want %s at line %d", err, pe, tt.key, tt.line)
			}
			if text := pe.Text(zh); !strings.HasPrefix(text, fmt.Sprintf("deep.md:%d: ", tt.line)) || strings.Contains(text, "%!") {
				t.Errorf("Chinese text = %q", text)
			}
		})
	}
}

// A FIFO named like a lesson is not opened (it would block the reader
// forever), and a file longer than a lesson may be is read only as far as
// Parse needs to refuse it.
func TestReadFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := "---\nid: a\n---\n## S\n"
	os.WriteFile(filepath.Join(dir, "a.md"), []byte(good), 0o644)
	if err := unix.Mkfifo(filepath.Join(dir, "fifo.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Mkdir(filepath.Join(dir, "folder.md"), 0o755)
	big, _ := os.Create(filepath.Join(dir, "big.md"))
	big.Truncate(1 << 30) // sparse: a gigabyte on paper
	big.Close()
	os.Symlink("a.md", filepath.Join(dir, "link.md"))
	fsys := os.DirFS(dir)
	tests := []struct {
		name    string
		key     string // ParseError key expected, "" for success
		wantLen int
	}{
		{"a.md", "", len(good)},
		{"link.md", "", len(good)},
		{"fifo.md", "lesson.not-regular", 0},
		{"folder.md", "lesson.not-regular", 0},
		{"big.md", "", content.MaxFileBytes + 1},
	}
	for _, tt := range tests {
		data, err := content.ReadFile(fsys, tt.name)
		var pe *content.ParseError
		switch {
		case tt.key == "" && (err != nil || len(data) != tt.wantLen):
			t.Errorf("ReadFile(%s) = %d bytes, %v; want %d bytes", tt.name, len(data), err, tt.wantLen)
		case tt.key != "" && (!errors.As(err, &pe) || pe.Key != tt.key):
			t.Errorf("ReadFile(%s) error = %v, want %s", tt.name, err, tt.key)
		}
	}
	// LoadDir reads the folder without waiting on the FIFO, and says why.
	done := make(chan error, 1)
	go func() { _, err := content.LoadDir(fsys, "."); done <- err }()
	select {
	case err := <-done:
		var pe *content.ParseError
		if !errors.As(err, &pe) {
			t.Errorf("LoadDir = %v, want the FIFO or the long file refused", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("LoadDir blocked on a FIFO")
	}
}
