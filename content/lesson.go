package content

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/kballard/go-shellquote"
)

// Kinds of Markdown document.
const (
	KindLesson     = "lesson"
	KindExperiment = "experiment"
	KindExercise   = "exercise"
)

// Lesson is one parsed Markdown document: a lesson, an experiment or an
// exercise text, in one language.
type Lesson struct {
	ID      string // stable identifier, the same in every language
	Lang    Lang
	Title   string
	Summary string // one line for menus and `sockstep list`
	Order   int    // menu position
	Kind    string // KindLesson (default), KindExperiment or KindExercise
	// Role and Pair make a two-terminal lesson: this lesson plays Role
	// ("server" or "client"), and the lesson Pair plays the other side
	// (sockstep run LESSON --role ROLE in each terminal).
	Role   string
	Pair   string
	Intro  string // Markdown before the first step
	Steps  []Step
	Source string // file the lesson came from, for messages
}

// Markdown is the lesson's text without its directives: the intro, then
// each step as a "## " section headed heading(i) (its own title when
// heading is nil), its prose, and the prose shown after it runs. `show`
// renders it, `show --plain` prints it as a handout.
func (l *Lesson) Markdown(heading func(i int) string) string {
	var b strings.Builder
	b.WriteString(l.Intro)
	for i, st := range l.Steps {
		title := st.Title
		if heading != nil {
			title = heading(i)
		}
		fmt.Fprintf(&b, "\n\n## %s\n\n%s", title, st.Body)
		if st.After != "" {
			fmt.Fprintf(&b, "\n\n%s", st.After)
		}
	}
	return b.String()
}

// Step is one "## " section: prose plus the directives that say what runs.
// A step with no directive is prose only (the runner still pauses on it).
type Step struct {
	Title string
	Body  string // Markdown of the section, directives removed
	// After is the prose below an <!-- after --> line: what the step's
	// results mean, shown once it has run (an experiment's explanation
	// comes after its numbers, not before).
	After      string
	Directives []Directive
	Line       int // line of the heading in Source
}

// Directive names one action and its arguments, as written in
//
//	<!-- step: ACTION [POSITIONAL...] [KEY=VALUE...] -->
//
// Values may be quoted as in a shell. Positional words are kept in order in
// Pos; what they mean is up to the action.
type Directive struct {
	Action string
	Pos    []string
	Args   map[string]string
	Line   int
}

// String reconstructs the directive in its written form (normalised).
func (d Directive) String() string {
	parts := []string{d.Action}
	for _, p := range d.Pos {
		parts = append(parts, quoteIfNeeded(p))
	}
	keys := make([]string, 0, len(d.Args))
	for k := range d.Args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k+"="+quoteIfNeeded(d.Args[k]))
	}
	return strings.Join(parts, " ")
}

func quoteIfNeeded(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\"'\\|") {
		return strconv.Quote(s)
	}
	return s
}

// ParseError points at the line of a lesson file that could not be read.
type ParseError struct {
	File string
	Line int
	Msg  string // the sentence in English, as Error gives it
	// Key and Args name the same sentence in the message catalog, where
	// there is one, so that Text can say it in the learner's language.
	Key  string
	Args []any
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Text is the error in cat's language: "file:line: sentence".
func (e *ParseError) Text(cat *Catalog) string {
	if e.Key == "" || !cat.Has(e.Key) {
		return e.Error()
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, cat.T(e.Key, e.Args...))
}

// ErrorText says err in cat's language when it is (or wraps) a
// ParseError with a catalog sentence, and as err.Error() otherwise.
func ErrorText(cat *Catalog, err error) string {
	var pe *ParseError
	if errors.As(err, &pe) {
		return pe.Text(cat)
	}
	return err.Error()
}

// idRE is what a lesson id (and the pair it names) may be: lowercase ASCII
// letters, digits and hyphens, starting with a letter or digit, at most 64
// characters. An id becomes a word on command lines (`sockstep run ID`, the
// classroom's terminal panes), a key in the progress file and a menu entry,
// so nothing a shell, a flag parser or a terminal would read as more than
// a name may be in it.
var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// ValidID reports whether s may be a lesson id.
func ValidID(s string) bool { return idRE.MatchString(s) }

// badID is the error for an id or pair (key "id" or "pair") that ValidID
// refuses. The id is quoted with %q, which writes control bytes as escapes.
func badID(name string, line int, key, v string) *ParseError {
	return &ParseError{File: name, Line: line,
		Msg: fmt.Sprintf("%s %q may hold only lowercase letters a-z, digits and hyphens, starting with a letter or digit, at most 64 characters", key, v),
		Key: "lesson.bad-" + key, Args: []any{v}}
}

var (
	directiveRE = regexp.MustCompile(`^\s*<!--\s*step:\s*(.*?)\s*-->\s*$`)
	afterRE     = regexp.MustCompile(`^\s*<!--\s*after\s*-->\s*$`)
)

// Parse reads one lesson document. name is used in error messages.
func Parse(name string, data []byte) (*Lesson, error) {
	l := &Lesson{Source: name, Kind: KindLesson}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	lineNo := 0
	var lines []string
	for sc.Scan() {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{File: name, Msg: err.Error()}
	}

	// Front matter: "---", key: value lines, "---".
	if len(lines) > 0 && strings.TrimSpace(lines[0]) == "---" {
		end := -1
		for i := 1; i < len(lines); i++ {
			if strings.TrimSpace(lines[i]) == "---" {
				end = i
				break
			}
			k, v, ok := strings.Cut(lines[i], ":")
			if !ok {
				return nil, &ParseError{File: name, Line: i + 1, Msg: "front matter lines are written key: value"}
			}
			v = strings.TrimSpace(v)
			switch strings.TrimSpace(k) {
			case "id":
				if !ValidID(v) {
					return nil, badID(name, i+1, "id", v)
				}
				l.ID = v
			case "title":
				l.Title = v
			case "summary":
				l.Summary = v
			case "kind":
				l.Kind = v
			case "role":
				if v != "server" && v != "client" {
					return nil, &ParseError{File: name, Line: i + 1, Msg: fmt.Sprintf("role is server or client, not %q", v)}
				}
				l.Role = v
			case "pair":
				if !ValidID(v) {
					return nil, badID(name, i+1, "pair", v)
				}
				l.Pair = v
			case "order":
				n, err := strconv.Atoi(v)
				if err != nil {
					return nil, &ParseError{File: name, Line: i + 1, Msg: "order must be a whole number"}
				}
				l.Order = n
			default:
				return nil, &ParseError{File: name, Line: i + 1, Msg: fmt.Sprintf("unknown front matter key %q", strings.TrimSpace(k))}
			}
		}
		if end < 0 {
			return nil, &ParseError{File: name, Line: 1, Msg: "front matter is not closed with ---"}
		}
		lineNo = end + 1
	}
	if l.ID == "" {
		return nil, &ParseError{File: name, Line: 1, Msg: "the lesson has no id in its front matter"}
	}
	switch l.Kind {
	case KindLesson, KindExperiment, KindExercise:
	default:
		return nil, &ParseError{File: name, Line: 1, Msg: fmt.Sprintf("unknown kind %q (lesson, experiment or exercise)", l.Kind)}
	}

	var cur *Step
	var body, after []string
	inAfter := false
	var fence string // the opening fence of the code block we are in, or ""
	flush := func() {
		text := strings.Trim(strings.Join(body, "\n"), "\n")
		if cur == nil {
			l.Intro = text
		} else {
			cur.Body = text
			cur.After = strings.Trim(strings.Join(after, "\n"), "\n")
			l.Steps = append(l.Steps, *cur)
		}
		body, after, inAfter = nil, nil, false
	}
	for i := lineNo; i < len(lines); i++ {
		line := lines[i]
		// The fence lines themselves belong to the code block.
		inFence := fence != ""
		fence = NextFence(fence, line)
		inFence = inFence || fence != ""
		if !inFence && strings.HasPrefix(line, "## ") {
			flush()
			cur = &Step{Title: strings.TrimSpace(line[3:]), Line: i + 1}
			continue
		}
		if !inFence && afterRE.MatchString(line) {
			if cur == nil || inAfter {
				return nil, &ParseError{File: name, Line: i + 1, Msg: "<!-- after --> must be inside a \"## \" section, once"}
			}
			inAfter = true
			continue
		}
		if !inFence {
			if m := directiveRE.FindStringSubmatch(line); m != nil {
				d, err := parseDirective(m[1])
				if err != nil {
					return nil, &ParseError{File: name, Line: i + 1, Msg: err.Error()}
				}
				d.Line = i + 1
				if cur == nil {
					return nil, &ParseError{File: name, Line: i + 1, Msg: "a step directive must be inside a \"## \" section"}
				}
				cur.Directives = append(cur.Directives, d)
				continue
			}
		}
		if cur == nil && l.Title == "" && strings.HasPrefix(line, "# ") {
			l.Title = strings.TrimSpace(line[2:])
		}
		if inAfter {
			after = append(after, line)
			continue
		}
		body = append(body, line)
	}
	flush()
	if l.Title == "" {
		l.Title = l.ID
	}
	return l, nil
}

// NextFence follows fenced code blocks as CommonMark does: a block opened
// by ``` or ~~~ (three or more) closes only on a line of the same character,
// at least as long, with nothing after it. open is the current opening
// fence ("" outside a block); the result is the fence after line.
func NextFence(open, line string) string {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 {
		return open // indented code, not a fence
	}
	n := 0
	for n < len(t) && (t[n] == '`' || t[n] == '~') && t[n] == t[0] {
		n++
	}
	if n < 3 {
		return open
	}
	if open == "" {
		return t[:n]
	}
	if t[0] == open[0] && n >= len(open) && strings.TrimSpace(t[n:]) == "" {
		return ""
	}
	return open
}

func parseDirective(s string) (Directive, error) {
	words, err := shellquote.Split(s)
	if err != nil {
		return Directive{}, fmt.Errorf("cannot read the step directive %q: %w", s, err)
	}
	if len(words) == 0 {
		return Directive{}, fmt.Errorf("the step directive names no action")
	}
	d := Directive{Action: words[0], Args: map[string]string{}}
	for _, w := range words[1:] {
		if k, v, ok := strings.Cut(w, "="); ok && k != "" && !strings.ContainsAny(k, " ") {
			if _, dup := d.Args[k]; dup {
				return Directive{}, fmt.Errorf("argument %q is given twice", k)
			}
			d.Args[k] = v
			continue
		}
		if len(d.Args) > 0 {
			return Directive{}, fmt.Errorf("positional word %q comes after key=value arguments", w)
		}
		d.Pos = append(d.Pos, w)
	}
	return d, nil
}

// Builtin returns the built-in documents of one language and kind, sorted
// by Order then ID. kind "" returns every kind.
func Builtin(lang Lang, kind string) ([]*Lesson, error) {
	all, err := loadDir(files, path.Join("lessons", string(lang)))
	if err != nil {
		return nil, err
	}
	var out []*Lesson
	for _, l := range all {
		if kind == "" || l.Kind == kind {
			out = append(out, l)
		}
	}
	return out, nil
}

// byID returns the document called id, or nil.
func byID(ls []*Lesson, id string) *Lesson {
	for _, l := range ls {
		if l.ID == id {
			return l
		}
	}
	return nil
}

// LoadDir parses every *.md file of a directory tree (an instructor's own
// lessons), with the same rules as the built-in ones.
func LoadDir(fsys fs.FS, dir string) ([]*Lesson, error) { return loadDir(fsys, dir) }

func loadDir(fsys fs.FS, dir string) ([]*Lesson, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.md"))
	if err != nil {
		return nil, err
	}
	var out []*Lesson
	lang := Lang(path.Base(dir))
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		l, err := Parse(name, data)
		if err != nil {
			return nil, err
		}
		l.Lang = lang
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Order != out[j].Order {
			return out[i].Order < out[j].Order
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}
