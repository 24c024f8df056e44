package lint

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

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
		{"pair names no lesson", both(strings.Replace(good, "summary: a demo\n", "summary: a demo\nrole: server\npair: nosuchlesson\n", 1)), "lint.no-pair", 6, "nosuchlesson"},
		{"empty title", both(strings.Replace(good, "title: Demo\n", "title:\n", 1)), "lint.no-title", 3, ""},
		{"empty summary", both(strings.Replace(good, "summary: a demo\n", "summary:\n", 1)), "lint.no-summary", 4, ""},
		{"no steps", both(strings.SplitAfter(good, "# Demo\n")[0]), "lint.no-steps", 1, ""},
		{"listen before bind", both(good + "\n## Listen\n<!-- step: socket s tcp -->\n<!-- step: listen s -->\n"), "lint.d.listen-unbound", 16, `"s"`},
		{"states of a UDP socket", both(good + "\n## States\n<!-- step: states rx -->\n"), "lint.d.udp-states", 15, `"rx"`},
		{"experiment hold not a duration", both(good + "\n## Exp\n<!-- step: experiment concurrency server=both hold=forever -->\n"), "lint.d.duration", 15, "forever"},
		{"nonblocking hold out of range", both(good + "\n## Exp\n<!-- step: experiment nonblocking case=poll hold=9s -->\n"), "lint.d.duration", 15, "9s"},
		{"throughput seconds out of range", both(good + "\n## Exp\n<!-- step: experiment throughput seconds=99 -->\n"), "lint.d.number", 15, "99"},
		// The parser's own mistakes (content.ParseAll).
		{"order not a number", both(strings.Replace(good, "id: demo\n", "id: demo\norder: abc\n", 1)), "lesson.bad-order", 3, "abc"},
		{"role neither server nor client", both(strings.Replace(good, "id: demo\n", "id: demo\nrole: boss\n", 1)), "lesson.bad-role", 3, "boss"},
		{"unknown front matter key", both(strings.Replace(good, "id: demo\n", "id: demo\ncolour: red\n", 1)), "lesson.front-unknown", 3, "colour"},
		{"front matter line without a colon", both(strings.Replace(good, "id: demo\n", "id: demo\njust words\n", 1)), "lesson.front-line", 3, "key: value"},
		{"front matter key twice", both(strings.Replace(good, "title: Demo\n", "title: Demo\ntitle: Again\n", 1)), "lesson.front-twice", 4, "title:"},
		{"unknown kind", both(strings.Replace(good, "id: demo\n", "id: demo\nkind: quiz\n", 1)), "lesson.bad-kind", 3, "quiz"},
		{"an id a shell would read", both(strings.Replace(good, "id: demo", "id: Demo One", 1)), "lesson.bad-id", 2, "Demo One"},
		{"no title at all", both(strings.Replace(strings.Replace(good, "title: Demo\n", "", 1), "# Demo\n", "", 1)), "lint.no-title", 1, "title:"},
		{"no id", both(strings.Replace(good, "id: demo\n", "", 1)), "lesson.no-id", 1, "id: my-first-call"},
		{"front matter not closed", both(strings.Replace(good, "summary: a demo\n---\n", "summary: a demo\n", 1)), "lesson.front-open", 1, "---"},
		{"directive before the first step", both(strings.Replace(good, "# Demo\n", "# Demo\n<!-- step: addrs -->\n", 1)), "lesson.step-outside", 7, `"## "`},
		{"directive with an open quote", both(good + "<!-- step: sendto rx to=rx text=\"hi -->\n"), "lesson.directive-quote", 13, "text="},
		{"directive argument twice", both(strings.Replace(good, "bind rx", "bind rx port=1 port=2", 1)), "lesson.directive-twice", 12, `"port"`},
		{"after outside a step", both(strings.Replace(good, "# Demo\n", "# Demo\n<!-- after -->\n", 1)), "lesson.after-outside", 7, "<!-- after -->"},
		{"role text in a lesson run alone", both(good + "<!-- paired -->\nthe other terminal\n<!-- end -->\n"), "lesson.role-alone", 13, "<!-- paired -->"},
		{"role end in the intro, at its line", both(strings.Replace(good, "# Demo\n", "# Demo\n\ntext\n<!-- end -->\n", 1)), "lesson.role-end", 9, "<!-- end -->"},
		{"role text left open", withPartner(strings.Replace(good, "summary: a demo\n", "summary: a demo\nrole: server\npair: partner\n", 1) + "<!-- paired -->\nx\n"), "lesson.role-open", 15, "paired"},
		{"role without pair", both(strings.Replace(good, "id: demo\n", "id: demo\nrole: server\n", 1)), "lint.role-no-pair", 3, "server"},
		{"pair that does not answer", both(strings.Replace(good, "summary: a demo\n", "summary: a demo\nrole: client\npair: tcp-client\n", 1)), "lint.pair-mismatch", 6, "tcp-client"},
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
			checkSaid(t, *found)
		})
	}
}

// TestGapHidesOnlyWhatItExplains: a directive that cannot be read hides
// only the problems it may explain (a later use of a socket it names);
// a bad port, a socket used before it, and the translation are still
// checked, the step holding the unread line named as such.
func TestGapHidesOnlyWhatItExplains(t *testing.T) {
	lesson := `---
id: demo
title: Demo
summary: a demo
---
# Demo

## One
<!-- step: socket u udp -->
<!-- step: bind u port=abc -->
<!-- step: recv ghost -->
<!-- step: bind u port=99999 -->

## Two
<!-- step: send t text="x -->
<!-- step: recv t -->
`
	keys := func(probs []Problem) []string {
		var got []string
		for _, p := range probs {
			got = append(got, fmt.Sprintf("%d %s", p.Line, p.Key))
		}
		return got
	}
	dir := write(t, map[string]string{"en/demo.md": lesson})
	want := []string{"1 lint.missing-translation", "10 lint.d.port", "11 lint.d.before", "12 lint.d.port", "15 lesson.directive-quote"}
	if got := keys(File(filepath.Join(dir, "en", "demo.md"))); !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	readable := strings.Replace(lesson, `text="x -->`, `text="x" -->`, 1)
	dir = write(t, map[string]string{"en/demo.md": lesson, "zh/demo.md": readable})
	want = []string{"10 lint.d.port", "11 lint.d.before", "12 lint.d.port", "14 lint.step-differs-unread", "15 lesson.directive-quote"}
	probs := File(filepath.Join(dir, "en", "demo.md"))
	if got := keys(probs); !slices.Equal(got, want) {
		t.Errorf("with a translation, problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, p := range probs {
		checkSaid(t, p)
	}
	// An unread close of u may have closed it: u made again is no mistake.
	reopen := strings.Replace(readable, "<!-- step: recv t -->\n", "<!-- step: close u how=\"x -->\n<!-- step: socket u udp -->\n", 1)
	dir = write(t, map[string]string{"en/demo.md": reopen, "zh/demo.md": reopen})
	want = []string{"10 lint.d.port", "11 lint.d.before", "12 lint.d.port", "15 lint.d.before", "16 lesson.directive-quote"}
	if got := keys(File(filepath.Join(dir, "en", "demo.md"))); !slices.Equal(got, want) {
		t.Errorf("after an unread close, problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// checkSaid fails unless p is said in each language by that language's
// catalog sentence, whole: no English sentence of the parser or the
// checker under --lang zh.
func checkSaid(t *testing.T, p Problem) {
	t.Helper()
	for _, lang := range content.Langs {
		cat := content.Text(lang)
		got := Format(cat, p)
		want := fmt.Sprintf("%s:%d: %s", p.File, p.Line, cat.T(p.Key, p.Args...))
		if p.Key == "" || !cat.Has(p.Key) || p.Detail != "" || got != want {
			t.Errorf("%s: %q is not the catalog's sentence %q (key %q, detail %q)", lang, got, want, p.Key, p.Detail)
		}
		if lang == content.Chinese && !hasHan(got) {
			t.Errorf("zh: %q has no Chinese", got)
		}
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// TestEveryProblemOfAFile: a file with many mistakes, most in its front
// matter, has every one reported, each at its line, in the order of the
// lines, and each said in both languages by the catalog (zh output holds
// no English parser sentence).
func TestEveryProblemOfAFile(t *testing.T) {
	text := `---
id: Bad One
order: abc
role: boss
colour: red
kind: quiz
no colon here
title: Demo
title: Again
summary: a demo
---
# Demo
<!-- step: socket rx udp -->

## Make it
<!-- step: socket rx udp -->
<!-- step: bind rx port=abc -->
<!-- setp: close rx -->
`
	want := []string{
		"2 lesson.bad-id", "3 lesson.bad-order", "4 lesson.bad-role", "5 lesson.front-unknown",
		"6 lesson.bad-kind", "7 lesson.front-line", "9 lesson.front-twice", "13 lesson.step-outside",
		"16 lint.d.twice", "17 lint.d.port", "18 lint.misspelled",
	}
	dir := write(t, both(text))
	probs := File(filepath.Join(dir, "en", "demo.md"))
	var got []string
	for _, p := range probs {
		got = append(got, fmt.Sprintf("%d %s", p.Line, p.Key))
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, p := range probs {
		checkSaid(t, p)
	}
}

// withPartner is a two-terminal lesson in both languages, with the lesson
// "partner" that plays the client beside it.
func withPartner(text string) map[string]string {
	partner := "---\nid: partner\ntitle: P\nsummary: p\nrole: client\npair: demo\n---\n## S\n<!-- step: socket a udp -->\n"
	files := both(text)
	files["en/partner.md"], files["zh/partner.md"] = partner, partner
	return files
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

// TestBounded: a file with hundreds of mistakes, of the parser and of the
// steps, gets content.MaxProblems lines in the order of the lines, then
// one that counts the rest.
func TestBounded(t *testing.T) {
	text := strings.Replace(good, "# Demo\n", "# Demo\n"+strings.Repeat(strings.Repeat(">", 20)+"\n", 100), 1) +
		strings.Repeat("<!-- step: bnid rx -->\n", 200)
	dir := write(t, both(text))
	probs := File(filepath.Join(dir, "en", "demo.md"))
	if len(probs) != content.MaxProblems+1 {
		t.Fatalf("%d problems, want %d", len(probs), content.MaxProblems+1)
	}
	for i := 1; i < content.MaxProblems; i++ {
		if probs[i].Line < probs[i-1].Line || probs[i].Key != "lesson.too-deep" {
			t.Fatalf("problem %d: %+v", i, probs[i])
		}
	}
	if last := probs[content.MaxProblems]; last.Key != "lesson.more-problems" || last.Args[0] != 300-content.MaxProblems {
		t.Errorf("last problem = %+v, want %d more", last, 300-content.MaxProblems)
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
