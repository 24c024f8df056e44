package content

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kballard/go-shellquote"

	"github.com/sockstep/sockstep/runner/escape"
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
// renders it. It is MarkdownWith with only a heading.
func (l *Lesson) Markdown(heading func(i int) string) string {
	return l.MarkdownWith(MarkdownOptions{Heading: heading})
}

// MarkdownOptions says what MarkdownWith writes besides the prose.
type MarkdownOptions struct {
	// Heading titles step i ("Step 3 of 6 · …"); nil keeps its title.
	Heading func(i int) string
	// Calls, when set, gives the calls step i makes, written as a code
	// block under its prose, as a run shows them before running.
	Calls func(i int) []string
	// Predict, when set, reads a directive that asks the reader to
	// predict: its question's choices and the answer the lesson expects
	// (counted from 1; 0 for none). ok is false for other directives.
	Predict func(d Directive) (choices []string, answer int, ok bool)
	// Question introduces a prediction's choices ("What do you think
	// will happen?").
	Question string
	// Answers, when set, is the title of a closing section: a step with
	// a prediction keeps its answer and the prose after it there, so that
	// a handout does not give it away right below the question. Answer
	// names a choice in it ("Step 3: expected answer 2, …"): it is given
	// the step's heading and the answer's text.
	Answers string
	Answer  func(heading string, choice int, label string) string
}

// MarkdownWith is the one writer of a lesson's text: `show` renders it
// and `show --plain` prints it as a handout.
func (l *Lesson) MarkdownWith(o MarkdownOptions) string {
	l = l.ForRole(false) // the text of a run on its own (role.go)
	var b, answers strings.Builder
	b.WriteString(l.Intro)
	for i, st := range l.Steps {
		title := st.Title
		if o.Heading != nil {
			title = o.Heading(i)
		}
		fmt.Fprintf(&b, "\n\n## %s\n\n%s", title, st.Body)
		if o.Calls != nil {
			if calls := o.Calls(i); len(calls) > 0 {
				fmt.Fprintf(&b, "\n\n```\n%s\n```", strings.Join(calls, "\n"))
			}
		}
		predicted, entry := false, ""
		if o.Predict != nil {
			for _, d := range st.Directives {
				choices, answer, ok := o.Predict(d)
				if !ok {
					continue
				}
				predicted = true
				if o.Question != "" {
					fmt.Fprintf(&b, "\n\n%s\n", o.Question)
				} else {
					b.WriteString("\n")
				}
				for n, c := range choices {
					fmt.Fprintf(&b, "\n%d. %s", n+1, c)
				}
				if o.Answer != nil && answer > 0 && answer <= len(choices) {
					entry = o.Answer(title, answer, choices[answer-1])
				}
			}
		}
		if predicted && o.Answers != "" {
			if entry == "" {
				entry = "**" + title + "**"
			}
			fmt.Fprintf(&answers, "\n\n%s", entry)
			if st.After != "" {
				fmt.Fprintf(&answers, "\n\n%s", st.After)
			}
			continue
		}
		if st.After != "" {
			fmt.Fprintf(&b, "\n\n%s", st.After)
		}
	}
	if answers.Len() > 0 {
		fmt.Fprintf(&b, "\n\n## %s%s", o.Answers, answers.String())
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

// quoteIfNeeded quotes s as the directive reader (shell rules, with
// go-shellquote) reads it back: in double quotes, where only " and \ need
// a backslash. (strconv.Quote would write \t or \u00ad, which a shell
// reads as two or six characters.)
func quoteIfNeeded(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n\"'\\|") {
		return s
	}
	return `"` + dqEscaper.Replace(s) + `"`
}

var dqEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// ParseError points at the line of a lesson file that could not be read.
type ParseError struct {
	File string
	Line int
	Msg  string // the sentence in English, as Error gives it
	// Key and Args name the same sentence in the message catalog, where
	// there is one, so that Text can say it in the learner's language.
	Key  string
	Args []any
	// Gap is set when the lesson read lacks what this line meant to
	// give it: a step directive that could not be read. Checks of the
	// steps (a socket used before it is made, a translation's steps)
	// would report what follows from the gap as mistakes of their own.
	Gap bool
}

func (e *ParseError) Error() string { return e.at(e.Msg) }

// Text is the error in cat's language: "file:line: sentence".
func (e *ParseError) Text(cat *Catalog) string {
	if e.Key == "" || !cat.Has(e.Key) {
		return e.Error()
	}
	return e.at(cat.T(e.Key, e.Args...))
}

// at puts the file and line (when there is one) before msg.
// The file's name is escaped: a file in an instructor's folder may be
// called anything.
func (e *ParseError) at(msg string) string {
	if e.Line <= 0 {
		return fmt.Sprintf("%s: %s", escape.String(e.File), msg)
	}
	return fmt.Sprintf("%s:%d: %s", escape.String(e.File), e.Line, msg)
}

// ErrorText says err in cat's language when it is (or wraps) a
// ParseError with a catalog sentence, a ParseErrors (every problem, one
// a line) or a Sayer, and as err.Error() otherwise.
func ErrorText(cat *Catalog, err error) string {
	var all ParseErrors
	if errors.As(err, &all) {
		return all.Text(cat)
	}
	var pe *ParseError
	if errors.As(err, &pe) {
		return pe.Text(cat)
	}
	var said Sayer
	if errors.As(err, &said) {
		return said.Text(cat)
	}
	return err.Error()
}

// A Sayer is an error that can be said in a catalog's language (every
// problem of an instructor's folder, say); ErrorText uses its Text.
type Sayer interface {
	error
	Text(cat *Catalog) string
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

// Bounds on what a lesson may ask the renderer to do. glamour's time grows
// with the cube of the nesting depth of block quotes and lists (a 1 KB
// line of 1000 ">" took 18 s and 870 MB), and with the size of what it
// renders at once; a lesson from anyone must not be able to stall a class.
// The built-in lessons nest at most 2 deep, their longest step is under
// 2 KB and their longest file under 9 KB. Within these bounds the worst
// lessons tried (256 KiB nested 8 deep throughout, 32 KiB of "[" or "*")
// render in about half a second of CPU and under 100 MB.
const (
	MaxDepth     = 8         // block quotes and lists, counted by Depth
	MaxStepBytes = 32 << 10  // a step's title, text and after-text
	MaxFileBytes = 256 << 10 // a whole lesson file
)

// Depth counts the block containers a line of Markdown opens or continues
// from its start: each ">" of a block quote and each list item marker
// ("-", "*", "+", "1." or "1)") or definition (":") before the text,
// plus one level for every
// two columns of indentation in front of a marker (a nested list item).
// It may count a level more than CommonMark would, never fewer.
func Depth(line string) int {
	depth, indent := 0, 0
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == ' ':
			indent++
			i++
			continue
		case c == '\t':
			indent += 4
			i++
			continue
		case c == '>':
			depth++
			i++
		case (c == '-' || c == '*' || c == '+' || c == ':') && (i+1 == len(line) || line[i+1] == ' ' || line[i+1] == '\t'):
			// (":" opens a definition, which glamour's definition lists
			// nest like a list item.)
			depth++
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j == len(line) || line[j] != '.' && line[j] != ')' || j+1 < len(line) && line[j+1] != ' ' && line[j+1] != '\t' {
				return depth
			}
			depth++
			i = j + 1
		default:
			return depth
		}
		depth += indent / 2
		indent = 0
	}
	return depth
}

// depthCounter is Depth with what the lines before told: the columns
// where the text of list items (and of definitions) began. A nested item
// indented four columns per level ("- a", "    - b", "        - c") is
// one level per item it is nested in, not one per two columns: Depth
// alone, which knows no other line, must count two columns as a level
// (the narrowest nesting, "- a", "  - b"), and refused five such levels
// as nine. The leading indentation of a line without a tab counts at
// most one level per distinct column, at or left of where the line's
// first marker or ">" stands, where an item's text began on an earlier
// line of the same part (a CommonMark line is inside an item when it is
// indented at least to that column); never more than Depth counts. Only
// items that no ">" precedes on their line are remembered: a line
// outside every block quote cannot be inside an item within one. The
// count stays an upper bound of CommonMark's (FuzzDepthBound): columns
// are forgotten only after a blank line, by a line indented less (it
// cannot be a lazy continuation then), and each column is taken at its
// smallest (one space after the marker).
type depthCounter struct {
	cols []int // distinct columns where items' text began, ascending
	// tabCols are the smallest columns where the text of items after a
	// tab began: with a tab taken as one column, a nested item's may
	// equal its parent's, so they are not counted; a line they may be
	// inside is counted by Depth alone.
	tabCols []int
	blank   bool // the previous line was blank
}

// reset forgets every item: a new part of the lesson (a step) is a
// Markdown document of its own.
func (dc *depthCounter) reset() { *dc = depthCounter{} }

// line counts the nesting of one line and remembers its items.
func (dc *depthCounter) line(line string) int {
	lead := len(line) - len(strings.TrimLeft(line, " "))
	if strings.Trim(line, " \t") == "" {
		dc.blank = true
		return 0
	}
	if dc.blank && !strings.HasPrefix(line[lead:], "\t") {
		// Not indented to these columns, and no lazy continuation after
		// a blank line: those items are closed.
		i, _ := slices.BinarySearch(dc.cols, lead+1)
		dc.cols = dc.cols[:i]
		i, _ = slices.BinarySearch(dc.tabCols, lead+1)
		dc.tabCols = dc.tabCols[:i]
	}
	dc.blank = false
	d := Depth(line)
	if lead < 2 || strings.HasPrefix(line[lead:], "\t") || len(dc.tabCols) > 0 && dc.tabCols[0] <= lead {
		dc.remember(line)
		return d
	}
	// Depth counted lead/2 levels for the leading spaces; no more than
	// the items they can be inside.
	inside, _ := slices.BinarySearch(dc.cols, lead+1)
	if n := lead / 2; inside < n && Depth(line[lead:]) > 0 {
		d -= n - inside
	}
	dc.remember(line)
	return d
}

// remember adds the text columns of the list items (and definitions)
// that open line, in its leading run of markers, before any ">". A tab
// is taken as one column, the fewest it can stand for, so that every
// column remembered is at most the real one (CommonMark expands a tab to
// the next multiple of 4).
func (dc *depthCounter) remember(line string) {
	col, tab := 0, false
	for i := 0; i < len(line); {
		c := line[i]
		j := i
		switch {
		case c == ' ' || c == '\t':
			tab = tab || c == '\t'
			i++
			col++
			continue
		case c == '-' || c == '*' || c == '+' || c == ':':
			j = i + 1
		case c >= '0' && c <= '9':
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j == len(line) || line[j] != '.' && line[j] != ')' {
				return
			}
			j++
		default:
			return
		}
		if j < len(line) && line[j] != ' ' && line[j] != '\t' {
			return // not a marker
		}
		col += j - i
		text := col + 1 // the text's column at its smallest: one space
		cols := &dc.cols
		if tab {
			cols = &dc.tabCols
		}
		if k, found := slices.BinarySearch(*cols, text); !found {
			*cols = slices.Insert(*cols, k, text)
		}
		i = j
	}
}

// kib is n bytes in KiB, for a size said against a limit in KiB. It is
// rounded down to a tenth, so that a size just over the limit never reads
// as the limit itself.
func kib(n int) float64 { return float64(n*10/1024) / 10 }

// MaxProblems is how many problems ParseAll lists for one file; a file
// of 256 KiB could otherwise hold tens of thousands (a ">" too many on
// every line), and a list that long helps nobody. The rest are counted
// in one last problem.
const MaxProblems = 50

// ParseErrors is every problem found in one lesson file, in the order of
// their lines. Error writes them one a line, in English; ErrorText says
// them in the learner's language.
type ParseErrors []*ParseError

func (es ParseErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap gives each problem, so that errors.As finds the first.
func (es ParseErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Text is every problem in cat's language, one a line.
func (es ParseErrors) Text(cat *Catalog) string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Text(cat)
	}
	return strings.Join(lines, "\n")
}

// Parse reads one lesson document. name is used in error messages. A
// lesson with any problem is refused: the error is a ParseErrors holding
// every problem ParseAll found (errors.As finds the first *ParseError).
func Parse(name string, data []byte) (*Lesson, error) {
	l, probs := ParseAll(name, data)
	if len(probs) > 0 {
		return nil, ParseErrors(probs)
	}
	return l, nil
}

// ParseAll reads one lesson document and lists every problem in it, each
// at its line with a catalog key, instead of stopping at the first: a
// front matter line that is not key: value, an unknown key, a bad id,
// pair, kind, role or order, a key given twice, a directive that cannot
// be read or stands outside a step, a misplaced <!-- after -->, nesting
// too deep, a step too long. The lesson it returns is what could be read
// (a problem's line is left out; a directive before the first step is
// read as that step's), for lint's further checks; only a lesson without
// problems may be run or shown. The lesson is nil when
// nothing can be trusted: a file too long, or a front matter that is
// never closed (every line after it would be read as front matter).
func ParseAll(name string, data []byte) (*Lesson, []*ParseError) {
	var probs []*ParseError
	more := 0 // problems past MaxProblems, counted only
	add := func(pe *ParseError) {
		pe.File = name
		if len(probs) < MaxProblems {
			probs = append(probs, pe)
		} else {
			more++
		}
	}
	done := func(l *Lesson) (*Lesson, []*ParseError) {
		if more > 0 {
			probs = append(probs, &ParseError{File: name, Line: probs[len(probs)-1].Line,
				Msg: fmt.Sprintf("%d more problems are not listed; fix these first", more),
				Key: "lesson.more-problems", Args: []any{more}})
		}
		return l, probs
	}

	l := &Lesson{Source: name, Kind: KindLesson}
	if len(data) > MaxFileBytes {
		add(&ParseError{Line: 1,
			// (ReadFile reads one byte past the limit, not the whole file:
			// its size is not known, only that it is too long.)
			Msg: fmt.Sprintf("the file holds more than %d KiB; a lesson file may hold at most %d KiB", MaxFileBytes>>10, MaxFileBytes>>10),
			Key: "lesson.file-too-long", Args: []any{MaxFileBytes >> 10}})
		return done(nil)
	}
	lines := splitLines(data)

	// Front matter: "---", key: value lines, "---".
	lineNo := 0
	idLine := 0 // the line of id:, when there is one
	if len(lines) > 0 && strings.TrimSpace(lines[0]) == "---" {
		end := -1
		for i := 1; i < len(lines); i++ {
			if strings.TrimSpace(lines[i]) == "---" {
				end = i
				break
			}
		}
		if end < 0 {
			add(&ParseError{Line: 1,
				Msg: "the front matter that starts here (the key: value lines after ---) is not closed with a line ---, so nothing after it was read: more problems may be hidden there",
				Key: "lesson.front-open"})
			return done(nil)
		}
		seen := map[string]int{} // key → its first line
		for i := 1; i < end; i++ {
			line := i + 1
			k, v, ok := strings.Cut(lines[i], ":")
			if !ok {
				add(&ParseError{Line: line,
					Msg: "a front matter line is written key: value (title: My lesson); this one has no colon",
					Key: "lesson.front-line"})
				continue
			}
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			if first, twice := seen[k]; twice && frontKeys[k] {
				add(&ParseError{Line: line,
					Msg: fmt.Sprintf("%s: is given twice in the front matter (line %d gives it already)", k, first),
					Key: "lesson.front-twice", Args: []any{escape.String(k), first}})
				continue
			}
			seen[k] = line
			switch k {
			case "id":
				idLine = line
				if !ValidID(v) {
					add(badID(name, line, "id", v))
					continue
				}
				l.ID = v
			case "title":
				l.Title = v
			case "summary":
				l.Summary = v
			case "kind":
				switch v {
				case KindLesson, KindExperiment, KindExercise:
					l.Kind = v
				default:
					add(&ParseError{Line: line,
						Msg: fmt.Sprintf("kind: %q is not a kind of document: it is lesson, experiment or exercise", v),
						Key: "lesson.bad-kind", Args: []any{v}})
				}
			case "role":
				if v != "server" && v != "client" {
					add(&ParseError{Line: line,
						Msg: fmt.Sprintf("role: %q names no role: it is server or client", v),
						Key: "lesson.bad-role", Args: []any{v}})
					continue
				}
				l.Role = v
			case "pair":
				if !ValidID(v) {
					add(badID(name, line, "pair", v))
					continue
				}
				l.Pair = v
			case "order":
				n, err := strconv.Atoi(v)
				if err != nil {
					add(&ParseError{Line: line,
						Msg: fmt.Sprintf("order: %q is not a whole number (the lesson's place in the menu, such as order: 40)", v),
						Key: "lesson.bad-order", Args: []any{v}})
					continue
				}
				l.Order = n
			default:
				add(&ParseError{Line: line,
					Msg: fmt.Sprintf("unknown front matter key %q (the keys are id, title, summary, order, kind, role and pair)", k),
					Key: "lesson.front-unknown", Args: []any{k}})
			}
		}
		lineNo = end + 1
	}
	if l.ID == "" && idLine == 0 {
		add(&ParseError{Line: 1,
			Msg: "the lesson has no id: the front matter (between two lines --- at the top of the file) needs a line such as id: my-first-call",
			Key: "lesson.no-id"})
	}

	var cur *Step
	var body, after []string
	// Directives before the first step are a problem, and are read as
	// the first step's, where the author most likely meant them: the
	// checks of the steps then see the sockets they make.
	var stray []Directive
	afterLine := 0      // the line of this step's <!-- after -->, or 0
	var fence string    // the opening fence of the code block we are in, or ""
	fenceAtTop := false // that fence starts at the left margin
	flush := func() {
		text := strings.Trim(strings.Join(body, "\n"), "\n")
		size, line := len(text), lineNo+1
		if cur == nil {
			l.Intro = text
		} else {
			cur.Body = text
			cur.After = strings.Trim(strings.Join(after, "\n"), "\n")
			size, line = len(cur.Title)+len(cur.Body)+len(cur.After), cur.Line
			l.Steps = append(l.Steps, *cur)
		}
		body, after, afterLine = nil, nil, 0
		if size > MaxStepBytes {
			add(&ParseError{Line: line,
				Msg: fmt.Sprintf("this section holds %.1f KiB; a step is at most %d KiB (split it into steps)", kib(size), MaxStepBytes>>10),
				Key: "lesson.step-too-long", Args: []any{kib(size), MaxStepBytes >> 10}})
		}
	}
	var depth depthCounter
	for i := lineNo; i < len(lines); i++ {
		line := lines[i]
		// The fence lines themselves belong to the code block.
		inFence := fence != ""
		fence = NextFence(fence, line)
		if !inFence && fence != "" {
			fenceAtTop = line[0] == fence[0]
		}
		inFence = inFence || fence != ""
		// Nesting is counted on every line but those of a code block
		// opened at the left margin: an indented fence may belong to a
		// list item, which a later line can end (and the fence with it),
		// so what follows it is not surely code.
		if !inFence || !fenceAtTop {
			if d := depth.line(line); d > MaxDepth {
				add(&ParseError{Line: i + 1,
					Msg: fmt.Sprintf("block quotes and lists are nested %d deep here; at most %d", d, MaxDepth),
					Key: "lesson.too-deep", Args: []any{d, MaxDepth}})
			}
		}
		if !inFence && strings.HasPrefix(line, "## ") {
			depth.reset()
			flush()
			cur = &Step{Title: strings.TrimSpace(line[3:]), Line: i + 1}
			cur.Directives, stray = stray, nil
			continue
		}
		// Only a line holding a comment can be <!-- after --> or a step
		// directive; most lines are prose, not worth two expressions.
		comment := !inFence && strings.Contains(line, "<!--")
		if comment && afterRE.MatchString(line) {
			switch {
			case cur == nil:
				add(&ParseError{Line: i + 1,
					Msg: `<!-- after --> must be inside a "## " section`,
					Key: "lesson.after-outside"})
			case afterLine > 0:
				add(&ParseError{Line: i + 1,
					Msg: fmt.Sprintf("<!-- after --> comes once in a step, and this step has one already (line %d)", afterLine),
					Key: "lesson.after-twice", Args: []any{afterLine}})
			default:
				afterLine = i + 1
			}
			continue
		}
		if comment {
			if m := directiveRE.FindStringSubmatch(line); m != nil {
				d, pe := parseDirective(m[1])
				if pe != nil {
					pe.Line, pe.Gap = i+1, true
					add(pe)
					continue
				}
				d.Line = i + 1
				if cur == nil {
					add(&ParseError{Line: i + 1,
						Msg: `a step directive must be inside a "## " section, and this one comes before the first`,
						Key: "lesson.step-outside"})
					stray = append(stray, d)
					continue
				}
				cur.Directives = append(cur.Directives, d)
				continue
			}
		}
		if cur == nil && l.Title == "" && strings.HasPrefix(line, "# ") {
			l.Title = strings.TrimSpace(line[2:])
		}
		if afterLine > 0 {
			after = append(after, line)
			continue
		}
		body = append(body, line)
	}
	flush()
	if l.Title == "" {
		l.Title = l.ID
	}
	sort.SliceStable(probs, func(i, j int) bool { return probs[i].Line < probs[j].Line })
	return done(l)
}

// frontKeys are the keys a front matter may give, each once.
var frontKeys = map[string]bool{"id": true, "title": true, "summary": true, "kind": true, "role": true, "pair": true, "order": true}

// splitLines cuts a lesson into lines as bufio.ScanLines would (no empty
// line after a final newline), each made safe to print by cleanLine.
func splitLines(data []byte) []string {
	if len(data) == 0 {
		return nil
	}
	raw := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	lines := make([]string, len(raw))
	for i, s := range raw {
		lines[i] = cleanLine(strings.TrimRight(s, "\r"))
	}
	return lines
}

// charRef is a numeric character reference (&#27; or &#x1b;), which the
// Markdown renderer turns into the character it names.
var charRef = regexp.MustCompile(`&#(?:[0-9]{1,8}|[xX][0-9a-fA-F]{1,7});`)

// cleanLine makes one line of a lesson safe to print: a lesson may come
// from anyone, and its text reaches the terminal (in menus, titles, the
// rendered prose, prediction choices, transcripts). Control characters are
// written as visible escapes (ESC as \x1b) as peer data is, and so are
// numeric character references to them, which the renderer would decode
// into the very byte. sockstep's own styling is added later, to clean text.
func cleanLine(s string) string {
	if strings.Contains(s, "&#") {
		s = charRef.ReplaceAllStringFunc(s, func(ref string) string {
			var v uint64
			var err error
			if ref[2] == 'x' || ref[2] == 'X' {
				v, err = strconv.ParseUint(ref[3:len(ref)-1], 16, 32)
			} else {
				v, err = strconv.ParseUint(ref[2:len(ref)-1], 10, 32)
			}
			if err != nil || v > utf8.MaxRune || v == '\t' || v == '\n' {
				return ref
			}
			if e := escape.Text(string(rune(v))); e != string(rune(v)) {
				return e
			}
			return ref
		})
	}
	return escape.Text(s)
}

// NextFence follows fenced code blocks as CommonMark does: a block opened
// by ``` or ~~~ (three or more; after ```, no backtick on the line) closes
// only on a line of the same character, at least as long, with nothing
// after it. open is the current opening
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
		if t[0] == '`' && strings.Contains(t[n:], "`") {
			return "" // a backtick in the info string: not a fence
		}
		return t[:n]
	}
	if t[0] == open[0] && n >= len(open) && strings.TrimSpace(t[n:]) == "" {
		return ""
	}
	return open
}

// actionRE is what a directive's action may be, keyRE what the key of a
// key=value argument may be: a lowercase word. Any other word with "=" in
// it is positional.
var (
	actionRE = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	keyRE    = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)
)

// parseDirective reads the words of a directive. A mistake comes back as
// a ParseError with its catalog key; the caller sets its line.
func parseDirective(s string) (Directive, *ParseError) {
	words, err := shellquote.Split(s)
	if err != nil {
		key, why := "lesson.directive-quote", "a quote (\" or ') is not closed"
		if errors.Is(err, shellquote.UnterminatedEscapeError) {
			key, why = "lesson.directive-escape", "it ends with a lone backslash"
		}
		return Directive{}, &ParseError{Msg: fmt.Sprintf("cannot read the step directive %q: %s", s, why), Key: key, Args: []any{s}}
	}
	if len(words) == 0 {
		return Directive{}, &ParseError{Msg: "the step directive names no action (such as <!-- step: bind rx -->)", Key: "lesson.directive-empty"}
	}
	if !actionRE.MatchString(words[0]) {
		return Directive{}, &ParseError{Msg: fmt.Sprintf("the step directive's action %q is not a word such as bind or send", words[0]),
			Key: "lesson.directive-action", Args: []any{words[0]}}
	}
	d := Directive{Action: words[0], Args: map[string]string{}}
	for _, w := range words[1:] {
		if k, v, ok := strings.Cut(w, "="); ok && keyRE.MatchString(k) {
			if _, dup := d.Args[k]; dup {
				return Directive{}, &ParseError{Msg: fmt.Sprintf("argument %q is given twice", k),
					Key: "lesson.directive-twice", Args: []any{k}}
			}
			d.Args[k] = v
			continue
		}
		if len(d.Args) > 0 {
			return Directive{}, &ParseError{Msg: fmt.Sprintf("positional word %q comes after key=value arguments: put it before them", w),
				Key: "lesson.directive-order", Args: []any{w}}
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

// ReadFile reads the lesson file name from fsys. Only a regular file is
// read (a FIFO named x.md would block the reader forever, a device could be
// endless), and no more than MaxFileBytes+1 bytes of it, which is enough
// for Parse to refuse a file that is too long.
func ReadFile(fsys fs.FS, name string) ([]byte, error) {
	notRegular := &ParseError{File: name, Line: 0, Msg: "is not a regular file, so it is not read as a lesson", Key: "lesson.not-regular"}
	if st, err := fs.Stat(fsys, name); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, notRegular
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Checked again on what was opened: the name may have been replaced
	// between the two looks.
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, notRegular
	}
	return io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
}

// ReadPath is ReadFile for a path on this machine (`sockstep run ./x.md`).
func ReadPath(p string) ([]byte, error) {
	return ReadFile(os.DirFS(filepath.Dir(p)), filepath.Base(p))
}

// loadDir parses every *.md file of one folder of fsys (the embedded
// exercises of a language), sorted as menus list them.
func loadDir(fsys fs.FS, dir string) ([]*Lesson, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.md"))
	if err != nil {
		return nil, err
	}
	var out []*Lesson
	lang := Lang(path.Base(dir))
	for _, name := range names {
		data, err := ReadFile(fsys, name)
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
	Sort(out)
	return out, nil
}

// Sort orders lessons as menus list them: by Order, then by ID. An
// instructor's lessons (--lessons) and the built-in ones are sorted
// together, so order: places a course's lesson among them.
func Sort(ls []*Lesson) {
	sort.SliceStable(ls, func(i, j int) bool {
		if ls[i].Order != ls[j].Order {
			return ls[i].Order < ls[j].Order
		}
		return ls[i].ID < ls[j].ID
	})
}
