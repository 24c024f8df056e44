package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"
	"github.com/charmbracelet/x/ansi"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/runner/textwrap"
)

// ErrInterrupted is returned when the learner pressed Ctrl-C; the caller
// exits with status 130 once every socket is closed.
var ErrInterrupted = errors.New("interrupted")

// ErrHangup is returned when the terminal went away while a prompt waited
// for a key (a closed window, tmux kill-pane): reading it gave EIO or
// end of file. It is an ErrInterrupted, so the run ends as after a
// signal (every socket closed, the transcript says it was interrupted);
// the caller exits with 129, as for SIGHUP, when no signal said otherwise.
var ErrHangup = fmt.Errorf("the terminal was closed: %w", ErrInterrupted)

// hangupWait bounds the wait for the signal that follows a hang-up. When a
// terminal closes, the kernel wakes the reader with EIO (n_tty_read, the
// other side of a pty closed) and sends SIGHUP to the session leader
// (tty_vhangup), which a shell passes on to its foreground job: the read
// usually returns first.
const hangupWait = time.Second

// hungUp tells whether err, from reading or writing the terminal at a
// prompt, says the terminal is gone: EIO (a hung-up tty, or a pty whose
// other side closed) or end of file (survey reads Ctrl-D as a key, so an
// end of file is the kernel's, hung_up_tty_read). When it is, it waits a
// little for the signal that comes with a hang-up, so that the run ends
// with that signal's status (context.Cause), and returns ErrHangup.
func hungUp(ctx context.Context, err error) error {
	if !errors.Is(err, syscall.EIO) && !errors.Is(err, io.EOF) {
		return nil
	}
	t := time.NewTimer(hangupWait)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
	return ErrHangup
}

// ErrQuit is returned when the learner chose to stop the lesson.
var ErrQuit = errors.New("the learner stopped the lesson")

// Choices offered between steps.
const (
	choiceRun     = "prompt.run"
	choiceExplain = "prompt.explain"
	choiceBack    = "prompt.back"
	choiceQuit    = "prompt.quit"
	choiceRetry   = "prompt.retry"
	choiceNext    = "prompt.next"
	// choiceJump goes to the step in Runner.jumpTo (a presenter's keys).
	choiceJump = "prompt.jump"
)

// prompter is the difference between the two front ends.
type prompter interface {
	// choose returns one of the option keys.
	choose(ctx context.Context, msgKey string, msgArgs []any, options []string, def string) (string, error)
	// input returns a typed line, or def.
	input(ctx context.Context, msgKey string, msgArgs []any, def string) (string, error)
}

// plainPrompter answers every question with its default, so a run without
// a terminal never waits for input that cannot come.
type plainPrompter struct{}

func (plainPrompter) choose(ctx context.Context, _ string, _ []any, _ []string, def string) (string, error) {
	return def, ctx.Err()
}

func (plainPrompter) input(ctx context.Context, _ string, _ []any, def string) (string, error) {
	return def, ctx.Err()
}

// survey's Select writes an English hint ("[Use arrows to move, …]") from
// a package-level template. The template is set once, here, so that the
// hint comes from the prompt itself: a Select whose Description answers
// for index -1 (never an option's index) supplies its own hint, in the
// learner's language. A Select without a Description keeps survey's
// words; an empty hint (one that would not fit, see fitHint) is left out.
// New does it, once, before the first interactive run; a survey
// whose template changed is an error then, not a panic when the package is
// loaded.
var localiseSelectHint = sync.OnceValue(func() error {
	const english = `[Use arrows to move, type to filter{{- if and .Help (not .ShowHelp)}}, {{ .Config.HelpInput }} for more help{{end}}]`
	if !strings.Contains(survey.SelectQuestionTemplate, english) {
		return errors.New("survey's Select template changed: update runner/prompt.go")
	}
	survey.SelectQuestionTemplate = strings.Replace(survey.SelectQuestionTemplate, english,
		`{{- if .Description}}{{with call .Description "" -1}}[{{.}}]{{end}}{{else}}`+english+`{{end}}`, 1)
	// survey writes answers and hints in a fixed cyan, faint on a white
	// background; they take the Help icon's colour instead (cyan unless a
	// style says otherwise, see surveyIcons), so --style light reaches them.
	for _, t := range []*string{&survey.SelectQuestionTemplate, &survey.InputQuestionTemplate} {
		*t = strings.ReplaceAll(*t, `color "cyan"`, `color $.Config.Icons.Help.Format`)
	}
	// The answer, once chosen, is written after the question on one line;
	// a long one (a prediction's) ran past the terminal's edge and broke
	// mid-word. The Description answers for index -2 with the answer
	// fitted to the terminal (fitAnswer): on the question's line when it
	// fits, else on lines of its own below it.
	const answer = `{{color $.Config.Icons.Help.Format}} {{.Answer}}`
	if !strings.Contains(survey.SelectQuestionTemplate, answer) {
		return errors.New("survey's Select template changed: update runner/prompt.go")
	}
	survey.SelectQuestionTemplate = strings.Replace(survey.SelectQuestionTemplate, answer,
		`{{color $.Config.Icons.Help.Format}}{{if .Description}}{{call .Description .Answer -2}}{{else}} {{.Answer}}{{end}}`, 1)
	return nil
})

// surveyIcons gives survey's prompts the colours of the text style: the
// light style's are the darker shades of runner/style.go's lightPalette.
func surveyIcons(style string) survey.AskOpt {
	return survey.WithIcons(func(icons *survey.IconSet) {
		if style != "light" {
			return
		}
		icons.Question.Format = lightPalette[colorOK] + "+b"
		icons.Help.Format = lightPalette[colorCode]
		icons.SelectFocus.Format = lightPalette[colorCode] + "+b"
		icons.Error.Format = lightPalette[colorErr]
	})
}

// hinted returns a Description for survey.Select that gives the hint line
// (index -1, see localiseSelectHint), the chosen answer as fit writes it
// (index -2) and no description for any option.
func hinted(hint string, fit func(string) string) func(string, int) string {
	return func(value string, index int) string {
		switch index {
		case -1:
			return hint
		case -2:
			return fit(value)
		}
		return ""
	}
}

// surveyPrompter asks on a terminal with survey.
type surveyPrompter struct {
	cat   *content.Catalog
	stdio terminal.Stdio
	style string // the text style, for survey's colours
	// labels, when set, gives ready-made labels for option keys (menu
	// entries are built from lesson titles, not from the catalog).
	labels map[string]string
	// answered, when set, is told how many rows the last answered
	// question took (fitAnswer may put a long answer on lines of its
	// own), so that a pager counts them.
	answered *int
}

// answeredRows is how many rows the last question p asked takes once
// answered: 1 unless its answer went on lines of its own.
func answeredRows(p prompter) int {
	if sp, ok := p.(surveyPrompter); ok && sp.answered != nil && *sp.answered > 0 {
		return *sp.answered
	}
	return 1
}

func (p surveyPrompter) choose(ctx context.Context, msgKey string, msgArgs []any, options []string, def string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	labels := make([]string, len(options))
	byLabel := map[string]string{}
	defLabel := ""
	for i, o := range options {
		labels[i] = p.cat.T(o)
		if l, ok := p.labels[o]; ok {
			labels[i] = l
		}
		byLabel[labels[i]] = o
		if o == def {
			defLabel = labels[i]
		}
	}
	msg := p.cat.T(msgKey, msgArgs...)
	q := &survey.Select{Message: msg, Options: labels, Description: hinted(fitHint(p.stdio.Out, msg, p.cat.T("prompt.select-hint")),
		func(ans string) string {
			a := fitAnswer(p.stdio.Out, msg, ans)
			if p.answered != nil {
				*p.answered = 1 + strings.Count(a, "\n")
			}
			return a
		}),
		PageSize: pageSize(p.stdio.Out, len(labels))}
	if defLabel != "" {
		q.Default = defLabel
	}
	var ans string
	if p.answered != nil {
		*p.answered = 1
	}
	p.discardTypeahead()
	if err := survey.AskOne(q, &ans, survey.WithStdio(p.stdio.In, p.stdio.Out, p.stdio.Err), surveyIcons(p.style)); err != nil {
		return "", surveyErr(ctx, err)
	}
	return byLabel[ans], nil
}

func (p surveyPrompter) input(ctx context.Context, msgKey string, msgArgs []any, def string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	q := &survey.Input{Message: p.cat.T(msgKey, msgArgs...), Default: def}
	var ans string
	p.discardTypeahead()
	if err := survey.AskOne(q, &ans, survey.WithStdio(p.stdio.In, p.stdio.Out, p.stdio.Err), surveyIcons(p.style)); err != nil {
		return "", surveyErr(ctx, err)
	}
	return ans, nil
}

// fitHint returns the hint survey writes after the question ("? question
// [hint]"), or "" when that line would not fit the terminal's width: it
// wrapped after a longer question at 80 columns. The hint only repeats
// what the arrows and Enter do; the question must stay whole.
func fitHint(out terminal.FileWriter, question, hint string) string {
	cols, _ := termSize(out)
	if cols == 0 {
		return hint
	}
	// survey writes "? " before the question, "  [" and "]" around the
	// hint; a spare column keeps the cursor off the edge.
	if ansi.StringWidth("? "+question+"  ["+hint+"]") >= cols {
		return ""
	}
	return hint
}

// fitAnswer is what survey writes after the question once answered: " "
// and the answer when "? question answer" fits the terminal's width, else
// the answer on lines of its own, indented and filled to the width.
func fitAnswer(out terminal.FileWriter, question, ans string) string {
	cols, _ := termSize(out)
	if cols == 0 || ansi.StringWidth("? "+question+" "+ans) <= cols {
		return " " + ans
	}
	return "\n" + strings.Join(textwrap.Line("  "+ans, cols-1), "\n")
}

// pageSize is how many options a Select shows at once: all of them when
// the terminal has the rows (the menu lists 30 lessons; survey's default
// of 7 hid most of them on a 24-row screen), leaving room for the
// question and the lines above it; survey's 7 when the size is unknown.
func pageSize(out terminal.FileWriter, n int) int {
	const room = 6
	_, rows := termSize(out)
	if rows-room < 7 {
		return 7
	}
	return min(n, rows-room)
}

// discardTypeahead forgets keys typed before the prompt was drawn: they
// were typed while something else ran (a blocking call, a countdown), not
// in answer to this question.
func (p surveyPrompter) discardTypeahead() {
	if p.stdio.In != nil {
		discardTypeahead(p.stdio.In.Fd())
	}
}

func surveyErr(ctx context.Context, err error) error {
	if errors.Is(err, terminal.InterruptErr) {
		return ErrInterrupted
	}
	if h := hungUp(ctx, err); h != nil {
		return h
	}
	return err
}

// ask adapts a step's question to the front end.
func (r *Runner) ask(ctx context.Context, q lessons.Question) (string, error) {
	if len(q.Labels) == len(q.Choices) && len(q.Labels) > 0 {
		return r.chooseLabeled(ctx, q)
	}
	if len(q.Choices) > 0 {
		return r.prompt.choose(ctx, q.Key, q.Args, q.Choices, q.Default)
	}
	ans, err := r.prompt.input(ctx, q.Key, q.Args, q.Default)
	if err == nil && r.opts.Mode != Interactive {
		// Show the answer, so a transcript reads as if it was typed.
		r.printf("  %s\n", joinAfterColon(r.cat.T(q.Key, q.Args...), ans))
	}
	return ans, err
}

// joinAfterColon puts a value after a label that ends with a colon: with a
// space after an ASCII colon, and none after a full-width one (：), which
// carries its own.
func joinAfterColon(label, value string) string {
	return label + afterColon(label) + value
}

// afterColon is the space that follows label, a text ending with a colon:
// none after a full-width colon.
func afterColon(label string) string {
	if strings.HasSuffix(label, "：") {
		return ""
	}
	return " "
}

// chooseLabeled asks a question whose answers the lesson wrote itself (a
// prediction). Without prompts the question and its answers are printed,
// so a transcript or a projector shows them, and no answer is chosen.
func (r *Runner) chooseLabeled(ctx context.Context, q lessons.Question) (string, error) {
	if sp, ok := r.basePrompt().(surveyPrompter); ok {
		if r.pager != nil {
			r.pager.room(len(q.Choices) + 2)
			defer func() { r.pager.used += answeredRows(sp) }()
		}
		sp.labels = map[string]string{}
		for i, k := range q.Choices {
			sp.labels[k] = q.Labels[i]
		}
		return sp.choose(ctx, q.Key, q.Args, q.Choices, q.Default)
	}
	r.printf("  %s\n", r.paint(colorHead, r.cat.T(q.Key, q.Args...)))
	for i, l := range q.Labels {
		r.printf("    %d. %s\n", i+1, l)
	}
	return q.Default, ctx.Err()
}
