// Package lint checks lessons written by instructors before a class meets
// them: the Markdown must parse, every step directive must be known and
// well formed, sockets must exist before they are used, and each lesson
// must have its translation with the same steps.
package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/runner/escape"
)

// Problem is one finding, at a file and line.
type Problem struct {
	File string
	Line int
	// Key and Args give the message from the catalog (Key is empty when
	// Detail says it all); Detail is the parser's or checker's own
	// sentence, when there is one.
	Key    string
	Args   []any
	Detail string
}

// File checks one lesson file and its translation, and reports every
// problem, in the order of their lines.
func File(path string) []Problem { return check(path, true) }

// Lesson checks one lesson file on its own: every problem File reports
// but those of its translation. It is what run, show and --lessons
// refuse a lesson for (a lesson may be run before it is translated).
func Lesson(path string) []Problem { return check(path, false) }

// Files checks every file, each with the problems SameIDs finds among
// them merged into its own list in the order of the lines; the lists come
// in the order of files (nil for a file without problems).
func Files(files []string, withTranslation bool) [][]Problem {
	same := map[string][]Problem{}
	for _, p := range SameIDs(files) {
		same[p.File] = append(same[p.File], p)
	}
	out := make([][]Problem, len(files))
	for i, f := range files {
		out[i] = check(f, withTranslation, same[f]...)
	}
	return out
}

// check is File (or Lesson, without the translation), with extra problems
// found across files merged in. When a directive could not be read
// (content.ParseError.Gap), what that directive might have caused is not
// reported: a later use of a socket it might have created (its name is a
// word of the unread line). Everything else is, the translation included,
// where a step holding the unread line is said to be so.
func check(path string, withTranslation bool, extra ...Problem) []Problem {
	l, probs, gaps := parse(path)
	probs = append(probs, extra...)
	if l == nil {
		return bounded(probs)
	}
	data, err := readLesson(path)
	var raw []string
	if err == nil {
		raw = strings.Split(string(data), "\n")
	}
	var checked []Problem
	for _, err := range lessons.Check(l) {
		p := fromErr(path, err)
		if !explainedByGap(p, gaps, raw) {
			checked = append(checked, p)
		}
	}
	probs = append(probs, markLines(checked, raw)...)
	probs = append(probs, front(path, l, data)...)
	if err == nil {
		probs = append(probs, Markdown(path, data)...)
	}
	if withTranslation {
		probs = append(probs, translation(path, l, gaps)...)
	}
	return bounded(probs)
}

// explainedByGap reports whether p may follow from a directive that could
// not be read: p names a socket (used, made again, or as port= or to=) on
// a line after an unread directive whose text holds that name as a word,
// so that the directive may have created, closed or bound it. A port number out of range, or a name
// used before the unread line, is a mistake whatever that line meant.
func explainedByGap(p Problem, gaps []int, raw []string) bool {
	if !gapKeys[p.Key] || len(p.Args) == 0 {
		return false
	}
	name, _ := p.Args[0].(string)
	if p.Key == "lint.d.port" {
		if _, err := strconv.Atoi(name); err == nil {
			return false // a number is never a socket's name
		}
	}
	for _, g := range gaps {
		if g >= p.Line || g > len(raw) {
			continue
		}
		for _, w := range strings.FieldsFunc(raw[g-1], func(r rune) bool {
			return r == ' ' || r == '\t' || r == '=' || r == '"' || r == '\''
		}) {
			if w == name {
				return true
			}
		}
	}
	return false
}

// bounded sorts problems by line and keeps the first content.MaxProblems,
// with one last problem counting the rest (the parser's count of those it
// left out included): a file of 256 KiB can hold thousands of mistakes.
func bounded(probs []Problem) []Problem {
	more, kept := 0, probs[:0]
	for _, p := range probs {
		if p.Key == "lesson.more-problems" {
			more += p.Args[0].(int)
			continue
		}
		kept = append(kept, p)
	}
	probs = kept
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].Line < probs[j].Line })
	if len(probs) > content.MaxProblems {
		more += len(probs) - content.MaxProblems
		probs = probs[:content.MaxProblems]
	}
	if more > 0 && len(probs) > 0 {
		probs = append(probs, Problem{File: probs[len(probs)-1].File, Line: probs[len(probs)-1].Line,
			Key: "lesson.more-problems", Args: []any{more}})
	}
	return probs
}

// markLines moves the problems of <!-- alone --> / <!-- paired --> /
// <!-- end --> markers from the line of their section's "## " (where
// lessons.Check, which sees the prose without its file, puts them; line 1
// for the text before the first step) to the marker's own line in the
// file's raw lines.
func markLines(probs []Problem, raw []string) []Problem {
	type place struct {
		line int
		key  string
	}
	seen := map[place]int{} // problems of one key in one section so far
	for i, p := range probs {
		if p.Key != "lesson.role-end" && p.Key != "lesson.role-open" && p.Key != "lesson.role-alone" {
			continue
		}
		start := p.Line // the section's text starts after its "## " line
		if start < 1 || start > len(raw) || !strings.HasPrefix(raw[start-1], "## ") {
			start = 0 // the intro: from the top
		}
		end, fence := start, ""
		for ; end < len(raw); end++ {
			inFence := fence != ""
			fence = content.NextFence(fence, raw[end])
			if !inFence && fence == "" && strings.HasPrefix(raw[end], "## ") {
				break
			}
		}
		text := strings.Join(raw[start:end], "\n")
		at, k := 0, seen[place{p.Line, p.Key}]
		seen[place{p.Line, p.Key}]++
		if p.Key == "lesson.role-alone" {
			at = content.FirstRoleMark(text)
		} else {
			for _, pe := range content.RoleMarkProblems(text) {
				if pe.Key == p.Key && k == 0 {
					at = pe.Line
					break
				} else if pe.Key == p.Key {
					k--
				}
			}
		}
		if at > 0 {
			probs[i].Line = start + at
		}
	}
	return probs
}

// gapKeys are the mistakes of lessons.Check that a directive which could
// not be read may cause: it might have made (or closed, or bound) the
// socket they name.
var gapKeys = map[string]bool{"lint.d.before": true, "lint.d.port": true, "lint.d.to": true,
	"lint.d.twice": true, "lint.d.listen-unbound": true}

// Expand turns the paths given to lint into lesson files: a folder stands
// for every .md file in it and in its subfolders (zh/, en/), in order.
func Expand(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil || !st.IsDir() {
			out = append(out, p) // a missing file is reported when checked
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != p && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(d.Name(), ".md") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// front checks what the front matter and the sections give a lesson: a
// title and a summary for the menu, at least one step, and for a
// two-terminal lesson both role: and pair:, the pair a lesson that exists
// and plays the other role with this one as its pair. Each problem is
// at the line of its key when there is one.
func front(path string, l *content.Lesson, data []byte) []Problem {
	var probs []Problem
	at := func(key string) int { return frontLine(data, key) }
	// No title: line and no "# " heading: the parser falls back on the id.
	if strings.TrimSpace(l.Title) == "" || emptyTitle.Match(data) || at("title") == 1 && !heading.Match(data) {
		probs = append(probs, Problem{File: path, Line: at("title"), Key: "lint.no-title"})
	}
	if strings.TrimSpace(l.Summary) == "" && l.Kind != content.KindExercise {
		probs = append(probs, Problem{File: path, Line: at("summary"), Key: "lint.no-summary"})
	}
	if len(l.Steps) == 0 && l.Kind != content.KindExercise {
		probs = append(probs, Problem{File: path, Line: 1, Key: "lint.no-steps"})
	}
	switch {
	case l.Role != "" && l.Pair == "" && at("pair") == 1:
		probs = append(probs, Problem{File: path, Line: at("role"), Key: "lint.role-no-pair", Args: []any{l.Role}})
	case l.Pair != "" && l.Role == "" && at("role") == 1:
		probs = append(probs, Problem{File: path, Line: at("pair"), Key: "lint.pair-no-role", Args: []any{l.Pair}})
	}
	if l.Pair != "" {
		switch p := findLesson(path, l.Pair); {
		case p == nil:
			probs = append(probs, Problem{File: path, Line: at("pair"), Key: "lint.no-pair", Args: []any{l.Pair}})
		case l.Role != "" && (p.Pair != l.ID || p.Role == l.Role):
			probs = append(probs, Problem{File: path, Line: at("pair"), Key: "lint.pair-mismatch",
				Args: []any{l.Pair, l.Role, p.Role, p.Pair, l.ID}})
		}
	}
	return probs
}

// frontLine is the line of the front matter that gives key ("title:"),
// or 1 when none does.
func frontLine(data []byte, key string) int {
	lines := strings.Split(string(data), "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return 1
	}
	for i := 1; i < len(lines) && strings.TrimSpace(lines[i]) != "---"; i++ {
		if k, _, ok := strings.Cut(lines[i], ":"); ok && strings.TrimSpace(k) == key {
			return i + 1
		}
	}
	return 1
}

// emptyTitle is a front matter line "title:" with nothing after it (the
// menu would show the lesson's id, or its first heading).
var emptyTitle = regexp.MustCompile(`(?m)^title:\s*(""|'')?\s*$`)

// heading is a "# " title line, which gives a lesson without title: its
// title.
var heading = regexp.MustCompile(`(?m)^# +\S`)

// findLesson is the lesson called id: a built-in one, or one in the same
// folder as path that parses; nil when there is none.
func findLesson(path, id string) *content.Lesson {
	for _, lang := range content.Langs {
		if l, err := content.BuiltinByID(lang, id); err == nil && l != nil {
			return l
		}
	}
	names, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.md"))
	for _, n := range names {
		if data, err := readLesson(n); err == nil {
			if l, err := content.Parse(n, data); err == nil && l.ID == id {
				return l
			}
		}
	}
	return nil
}

// misspelled is an HTML comment that starts like a directive, "<!-- word:".
var misspelled = regexp.MustCompile(`^\s*<!--\s*([A-Za-z]+)\s*:`)

// nearStep reports whether word is "step" misspelled: a different word at
// most two edits away (setp, stpe, steps, Step).
func nearStep(word string) bool {
	if word == "step" {
		return false
	}
	return editDistance(strings.ToLower(word), "step") <= 2
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of two neighbours.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// codeInBold is a code span inside strong emphasis on one line.
var codeInBold = regexp.MustCompile("\\*\\*[^*`]*`[^`]*`[^*]*\\*\\*")

// Markdown checks the text itself for what glamour renders wrongly: a code
// span inside **bold** comes out with stray asterisks wherever sockstep
// prints without colour (a pipe, NO_COLOR, a handout), so it is reported.
// Fenced code blocks are skipped.
func Markdown(path string, data []byte) []Problem {
	var probs []Problem
	fenced := false
	for i, line := range strings.Split(string(data), "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fenced = !fenced
			continue
		}
		if m := misspelled.FindStringSubmatch(line); !fenced && m != nil && nearStep(m[1]) {
			probs = append(probs, Problem{File: path, Line: i + 1, Key: "lint.misspelled", Args: []any{escape.Text(m[1])}})
		}
		if !fenced && codeInBold.MatchString(line) {
			probs = append(probs, Problem{File: path, Line: i + 1, Key: "lint.code-in-bold", Args: []any{escape.Text(codeInBold.FindString(line))}})
		}
	}
	return probs
}

// parse reads path with content.ParseAll: the lesson as far as it could
// be read (nil when nothing can be trusted), every problem the parser
// found, and the lines of the directives it lacks (content.ParseError.Gap).
func parse(path string) (l *content.Lesson, probs []Problem, gaps []int) {
	data, err := readLesson(path)
	var pe *content.ParseError
	if errors.As(err, &pe) {
		return nil, []Problem{{File: path, Key: pe.Key, Args: pe.Args}}, nil
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, []Problem{{File: path, Key: "lint.not-found"}}, nil
	case errors.Is(err, fs.ErrPermission):
		return nil, []Problem{{File: path, Key: "lint.no-permission"}}, nil
	case err != nil:
		return nil, []Problem{{File: path, Key: "lint.unreadable", Detail: err.Error()}}, nil
	}
	l, pes := content.ParseAll(path, data)
	for _, pe := range pes {
		probs = append(probs, fromErr(path, pe))
		if pe.Gap {
			gaps = append(gaps, pe.Line)
		}
	}
	return l, probs, gaps
}

// readLesson reads a lesson file as sockstep's loader does: a regular
// file only, so that linting a FIFO named x.md does not hang.
func readLesson(path string) ([]byte, error) {
	return content.ReadPath(path)
}

func fromErr(path string, err error) Problem {
	var pe *content.ParseError
	if errors.As(err, &pe) {
		if pe.Key != "" {
			return Problem{File: pe.File, Line: pe.Line, Key: pe.Key, Args: pe.Args}
		}
		return Problem{File: pe.File, Line: pe.Line, Detail: pe.Msg}
	}
	return Problem{File: path, Detail: err.Error()}
}

// LangOf is the language a lesson file's folder (zh/, en/) or name
// (x.zh.md) gives it; ok is false for a file that serves both languages.
func LangOf(path string) (lang content.Lang, ok bool) {
	if _, other, ok := Counterpart(path); ok {
		return otherLang(other), true
	}
	return "", false
}

// Counterpart names where the other language's version of path should be:
// a lesson in .../zh/x.md has its English at .../en/x.md, and x.zh.md has
// it at x.en.md. ok is false when the path follows neither convention.
func Counterpart(path string) (other string, lang content.Lang, ok bool) {
	dir, base := filepath.Split(path)
	if l, found := content.ParseLang(filepath.Base(filepath.Clean(dir))); found && len(filepath.Base(filepath.Clean(dir))) == 2 {
		o := otherLang(l)
		return filepath.Join(filepath.Dir(filepath.Clean(dir)), string(o), base), o, true
	}
	stem := strings.TrimSuffix(base, ".md")
	if ext := filepath.Ext(stem); len(ext) == 3 {
		if l, found := content.ParseLang(ext[1:]); found {
			o := otherLang(l)
			return filepath.Join(dir, strings.TrimSuffix(stem, ext)+"."+string(o)+".md"), o, true
		}
	}
	return "", "", false
}

func otherLang(l content.Lang) content.Lang {
	if l == content.Chinese {
		return content.English
	}
	return content.Chinese
}

// translation compares a lesson with its other-language version: it must
// exist, and run the same directives step by step. A file whose name
// says no language (NAME.md, not in zh/ or en/) serves both languages,
// as --lessons reads it: there is nothing to compare.
func translation(path string, l *content.Lesson, gaps []int) []Problem {
	other, lang, ok := Counterpart(path)
	if !ok {
		return nil
	}
	if _, err := os.Stat(other); err != nil {
		return []Problem{{File: path, Line: 1, Key: "lint.missing-translation", Args: []any{lang, other}}}
	}
	data, err := readLesson(other)
	if err != nil {
		return nil // reported when that file is checked itself
	}
	o, err := content.Parse(other, data)
	if err != nil {
		return nil // the same
	}
	var probs []Problem
	if l.ID != "" && o.ID != l.ID { // no id: reported by the parser
		probs = append(probs, Problem{File: path, Line: 1, Key: "lint.id-differs", Args: []any{l.ID, other, o.ID}})
	}
	if len(o.Steps) != len(l.Steps) {
		// Name the first step where they part, so the author knows where
		// to look.
		i := 0
		for i < len(l.Steps) && i < len(o.Steps) && signatures(l.Steps[i]) == signatures(o.Steps[i]) {
			i++
		}
		line, title, oline := 1, "", 0
		if i < len(l.Steps) {
			line, title = l.Steps[i].Line, l.Steps[i].Title
		}
		if i < len(o.Steps) {
			oline = o.Steps[i].Line
			if title == "" {
				title = o.Steps[i].Title
			}
		}
		return append(probs, Problem{File: path, Line: line, Key: "lint.step-count-at",
			Args: []any{len(l.Steps), other, len(o.Steps), i + 1, title, oline}})
	}
	for i := range l.Steps {
		a, b := signatures(l.Steps[i]), signatures(o.Steps[i])
		if g := gapIn(l, i, gaps); a != b && g > 0 {
			// The step lacks the directive it could not read: say so,
			// rather than blame the translation.
			probs = append(probs, Problem{File: path, Line: l.Steps[i].Line, Key: "lint.step-differs-unread",
				Args: []any{i + 1, other, o.Steps[i].Line, g}})
		} else if a != b {
			probs = append(probs, Problem{File: path, Line: l.Steps[i].Line, Key: "lint.step-differs",
				Args: []any{i + 1, other, o.Steps[i].Line, a, b}})
		}
	}
	return probs
}

// gapIn is the line of the first unread directive in step i of l, or 0.
func gapIn(l *content.Lesson, i int, gaps []int) int {
	end := -1 // the last step runs to the end of the file
	if i+1 < len(l.Steps) {
		end = l.Steps[i+1].Line
	}
	for _, g := range gaps {
		if g > l.Steps[i].Line && (end < 0 || g < end) {
			return g
		}
	}
	return 0
}

func signatures(st content.Step) string {
	var out []string
	for _, d := range st.Directives {
		out = append(out, lessons.Signature(d))
	}
	return strings.Join(out, "; ")
}

// Format writes a problem as "file:line: message", in the catalog's
// language.
func Format(cat *content.Catalog, p Problem) string {
	msg := ""
	if p.Key != "" {
		msg = cat.T(p.Key, p.Args...)
	}
	if p.Detail != "" {
		msg = strings.TrimSpace(msg + " " + p.Detail)
	}
	file := escape.String(p.File) // a file may be called anything
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", file, p.Line, msg)
	}
	return fmt.Sprintf("%s: %s", file, msg)
}
