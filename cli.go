package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/AlecAivazis/survey/v2/terminal"
	"github.com/muesli/termenv"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/runner"
	"github.com/sockstep/sockstep/runner/lint"
	"github.com/sockstep/sockstep/runner/progress"
	"golang.org/x/term"
)

// cli is what every command works with: the outside world, the learner's
// language and its words, and the flags the command was given.
type cli struct {
	env
	langFlag string // --lang as given, "" when absent
	lang     content.Lang
	cat      *content.Catalog
	o        opts
}

// newCLI picks the language: --lang first, then the locale.
func newCLI(e env, langFlag string) *cli {
	lang, ok := content.ParseLang(langFlag)
	if !ok {
		lang = content.DetectLang(e.getenv)
	}
	setStuckLang(lang)
	cat := content.Text(lang)
	go cat.Preload() // parsed while the flags and the lesson are read
	return &cli{env: e, langFlag: langFlag, lang: lang, cat: cat, o: defaultOpts()}
}

// langOK says so when --lang names no language we have.
func (c *cli) langOK() bool {
	if _, ok := content.ParseLang(c.langFlag); c.langFlag != "" && !ok {
		fmt.Fprintln(c.stderr, c.cat.T("cli.bad-lang", c.langFlag))
		return false
	}
	return true
}

// usageError prints msg and where to find help; the caller exits 2.
func (c *cli) usageError(msg string) {
	fmt.Fprintln(c.stderr, fillTo(c.stderr, msg))
	fmt.Fprintln(c.stderr, fillTo(c.stderr, c.cat.T("cli.see-help")))
}

// fail prints a message from the catalog on stderr, filled to the
// terminal's width when stderr is one.
func (c *cli) fail(key string, args ...any) {
	fmt.Fprintln(c.stderr, fillTo(c.stderr, c.cat.T(key, args...)))
}

// findLesson finds a lesson by id (built-in or from --lessons), or reads
// an instructor's Markdown file when the name ends in .md. A file is
// checked as lint checks it (but for its translation), and refused with
// every problem lint would list; so is a --lessons folder with any.
func (c *cli) findLesson(id string) (*content.Lesson, int) {
	l, code, _ := c.lookLesson(id)
	return l, code
}

// lookLesson is findLesson; unknown is true when no lesson has the name
// (rather than a file or a folder with problems).
func (c *cli) lookLesson(id string) (l *content.Lesson, code int, unknown bool) {
	if strings.HasSuffix(id, ".md") {
		if ps := lint.Lesson(id); len(ps) > 0 {
			fmt.Fprintln(c.stderr, fillTo(c.stderr, content.ErrorText(c.cat, &lessonProblems{file: id, lists: [][]lint.Problem{ps}})))
			return nil, exitUsage, false
		}
		data, err := content.ReadPath(id) // a regular file, read up to the lesson limit
		if err != nil {
			c.fail("cli.cannot-read", id, content.ErrorText(c.cat, err))
			return nil, exitUsage, false
		}
		l, err := content.Parse(id, data)
		if err != nil {
			fmt.Fprintln(c.stderr, fillTo(c.stderr, content.ErrorText(c.cat, err)))
			return nil, exitUsage, false
		}
		l.Lang = c.lang
		return l, exitOK, false
	}
	l, err := lessonByID(c.lang, c.o.lessons, id)
	if err != nil {
		fmt.Fprintln(c.stderr, fillTo(c.stderr, content.ErrorText(c.cat, err)))
		return nil, exitUsage, false
	}
	if l == nil || l.Kind == content.KindExercise {
		c.fail("cli.unknown-lesson", id)
		if all, err := allLessons(c.lang, c.o.lessons); err == nil {
			var ids []string
			for _, l := range all {
				ids = append(ids, l.ID)
			}
			c.fail("cli.lessons-are", strings.Join(ids, ", "))
		}
		return nil, exitUsage, true
	}
	return l, exitOK, false
}

// interactive is true only when both ends are terminals and --auto is not
// set: survey cannot work otherwise (it gets EOF at once, or waits forever
// for a terminal's answer that never comes).
func (c *cli) interactive() bool { return !c.o.auto.on && c.onTerminal() }

// onTerminal: both stdin and stdout are terminals.
func (c *cli) onTerminal() bool {
	return term.IsTerminal(int(c.stdin.Fd())) && term.IsTerminal(int(c.stdout.Fd()))
}

// newRunner builds the runner from the flags, or explains why the flags
// cannot be used; adjust, when set, has the last say on the options.
func (c *cli) newRunner(adjust func(*runner.Options)) (*runner.Runner, int) {
	opts, code := c.checkedOptions()
	if code != exitOK {
		return nil, code
	}
	if adjust != nil {
		adjust(&opts)
	}
	r, err := runner.New(opts)
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return nil, exitFail
	}
	return r, exitOK
}

// checkedOptions checks the flags that configure a runner, warns about a
// non-loopback --host, and returns the runner's options.
func (c *cli) checkedOptions() (runner.Options, int) {
	cfg, warn, err := sessionConfig(c.o)
	if err != nil {
		c.fail("cli.bad-host", c.o.host, hostProblem(c.cat, err))
		return runner.Options{}, exitUsage
	}
	if c.o.port < 1 || c.o.port > 65535 {
		c.fail("cli.bad-port", c.o.port)
		return runner.Options{}, exitUsage
	}
	if c.o.style != "" && !slices.Contains(runner.Styles, c.o.style) {
		c.fail("cli.bad-style", c.o.style, strings.Join(runner.Styles, ", "))
		return runner.Options{}, exitUsage
	}
	// In the client role --host is the teacher's machine, to call: this
	// side binds nothing there, and nothing here is reached from outside.
	if warn && c.o.role != "client" {
		addrs := lessons.ReachableAddrs(cfg.Host)
		if !cfg.Host.IsUnspecified() && (len(addrs) != 1 || addrs[0].Interface == "-") {
			// A lesson can bind only an address of this machine; bind
			// would fail at its step, long after the warning.
			c.fail("cli.host-not-here", cfg.Host)
			return runner.Options{}, exitUsage
		}
		c.fail("cli.remote-warning", cfg.Host)
		// The addresses students can reach this machine at.
		for _, a := range addrs {
			c.fail("cli.class-address", a.Interface, a.Addr, c.o.port)
		}
	}
	return c.runnerOptions(cfg), exitOK
}

// runnerOptions is the one place the flags become runner.Options.
func (c *cli) runnerOptions(cfg lessons.Config) runner.Options {
	inter := c.interactive()
	// Presenter mode keeps the terminal's colours; without a terminal it
	// is a plain run that waits between steps.
	styled := c.o.auto.delay > 0 && term.IsTerminal(int(c.stdout.Fd()))
	mode := runner.Plain
	switch {
	case inter:
		mode = runner.Interactive
	case c.o.auto.delay > 0:
		mode = runner.Presenter
	}
	opts := runner.Options{
		Lang:     c.lang,
		Mode:     mode,
		Delay:    c.o.auto.delay,
		Terminal: inter || styled,
		Stdio:    terminal.Stdio{In: c.stdin, Out: c.stdout, Err: c.stderr},
		Out:      c.stdout,
		Style:    c.o.style,
		Width:    c.o.width,
		Session:  cfg,
		Profile:  termenv.Ascii,
		Compact:  c.o.compact,
	}
	// On a terminal the text fits its width, prompts or not (--auto
	// prints plain text, but to a screen of 60 columns as much as any).
	if w, _, err := term.GetSize(int(c.stdout.Fd())); err == nil && opts.Width == 0 {
		opts.Width, opts.TermWidth = min(w, 120), runner.TermWidth(c.stdout)
	}
	if inter || styled {
		opts.Profile = colorProfile(c.stdout, c.getenv)
	}
	return opts
}

// hostProblem says in the learner's language why --host cannot be used.
func hostProblem(cat *content.Catalog, err error) string {
	if lines, ok := runner.ErrorText(cat, err); ok {
		return lines[0]
	}
	return err.Error()
}

// colorProfile picks colours from TERM and COLORTERM, and none at all when
// NO_COLOR is set. It reads only the environment: asking the terminal
// (as glamour's auto style does) can block for seconds where no answer
// comes.
func colorProfile(out *os.File, getenv func(string) string) termenv.Profile {
	return termenv.NewOutput(out, termenv.WithEnvironment(environ{getenv})).EnvColorProfile()
}

type environ struct{ getenv func(string) string }

func (v environ) Environ() []string        { return nil }
func (v environ) Getenv(key string) string { return v.getenv(key) }

// sessionConfig checks --host. A non-loopback host is the classroom
// opt-in: allowed, with a warning (warn is true).
func sessionConfig(o opts) (cfg lessons.Config, warn bool, err error) {
	host, err := lessons.ParseHost(o.host)
	if err != nil {
		return cfg, false, err
	}
	cfg = lessons.Config{Host: host, Port: o.port}
	if !o.portSet {
		// The runner picks the default: 7788, or this user's own port
		// when another user of the machine holds 7788 (ChooseDefaultPort).
		cfg.Port = 0
	}
	if !host.IsLoopback() {
		cfg.AllowRemote = true
		warn = true
	}
	return cfg, warn, nil
}

// runLesson runs a lesson and records it as finished.
func runLesson(ctx context.Context, r *runner.Runner, l *content.Lesson) error {
	err := r.Run(ctx, l)
	if err == nil {
		if path, perr := progress.DefaultPath(); perr == nil {
			// Progress is a convenience: failing to save it must not fail
			// the lesson, but the learner is told.
			if perr := progress.MarkLesson(path, l.ID); perr != nil {
				r.Warn(func(cat *content.Catalog) string { return progress.Warning(cat, perr) })
			}
		}
	}
	return err
}

// finish maps a lesson's outcome to an exit status.
func (c *cli) finish(ctx context.Context, err error) int {
	switch {
	case err == nil:
		return exitOK
	case interrupted(ctx, err):
		c.fail("cli.interrupted")
		return exitStatusOf(ctx, err)
	case errors.Is(err, runner.ErrQuit):
		return exitOK
	}
	var se *runner.StepError
	if errors.As(err, &se) {
		// The step already explained its error in the learner's language.
		c.fail("cli.lesson-stopped-at", se.Step)
		return exitFail
	}
	c.fail("cli.lesson-stopped", err)
	return exitFail
}
