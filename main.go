// Command sockstep teaches UDP and TCP sockets one system call at a time,
// on real sockets, in Chinese or English.
//
//	sockstep                      menu of lessons
//	sockstep run tcp-server       one lesson, paused between steps
//	sockstep verify udp-send -- python3 my_sender.py
//
// main.go is the command line only; the flow is in package runner, the
// socket stages in package lessons, the words in package content.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/AlecAivazis/survey/v2/terminal"
	"github.com/muesli/termenv"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/runner"
	"github.com/sockstep/sockstep/runner/progress"
	"github.com/sockstep/sockstep/runner/verify"
	"golang.org/x/term"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFail        = 1
	exitUsage       = 2
	exitInterrupted = 130
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go exitIfStuck(ctx)
	code := run(ctx, os.Args[1:], env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv,
	})
	stop()
	os.Exit(code)
}

// exitIfStuck ends the process if it has not ended by itself soon after
// Ctrl-C. The flow normally returns at once; but survey draws a prompt
// before it puts the terminal in raw mode, and a Ctrl-C typed in that
// instant arrives as a signal while survey goes on waiting for a key. The
// terminal's mode is put back as it was, and exiting closes every socket.
func exitIfStuck(ctx context.Context) {
	fd := int(os.Stdin.Fd())
	state, err := term.GetState(fd)
	<-ctx.Done()
	time.Sleep(2 * time.Second)
	if err == nil {
		term.Restore(fd, state)
	}
	fmt.Fprintln(os.Stderr, "\n"+content.Text(content.DetectLang(os.Getenv)).T("cli.interrupted"))
	os.Exit(exitInterrupted)
}

// env is the outside world main talks to, so tests can give it another.
type env struct {
	stdin          *os.File
	stdout, stderr *os.File
	getenv         func(string) string
}

// flags shared by every command.
type flags struct {
	lang     string
	auto     autoFlag
	host     string
	port     int
	style    string
	width    int
	help     bool
	reset    bool
	solution bool
	plain    bool
	record   string
	step     int
	lessons  string
	role     string
	compact  bool
	wire     string // --wire on|off|auto (main_wire.go)
	pcap     string // --pcap FILE
}

func (f *flags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.lang, "lang", "", "")
	fs.Var(&f.auto, "auto", "")
	fs.StringVar(&f.host, "host", "127.0.0.1", "")
	fs.IntVar(&f.port, "port", lessons.DefaultPort, "")
	fs.StringVar(&f.style, "style", "", "")
	fs.IntVar(&f.width, "width", 0, "")
	fs.BoolVar(&f.help, "help", false, "")
	fs.BoolVar(&f.help, "h", false, "")
	fs.BoolVar(&f.reset, "reset", false, "")
	fs.BoolVar(&f.solution, "solution", false, "")
	fs.BoolVar(&f.plain, "plain", false, "")
	fs.StringVar(&f.record, "record", "", "")
	fs.IntVar(&f.step, "step", 1, "")
	fs.StringVar(&f.lessons, "lessons", "", "")
	fs.StringVar(&f.role, "role", "", "")
	fs.BoolVar(&f.compact, "compact", false, "")
	fs.StringVar(&f.wire, "wire", "auto", "")
	fs.StringVar(&f.pcap, "pcap", "", "")
}

// parseArgs reads flags wherever they stand among the words, so that
// `sockstep run tcp-server --auto` and `sockstep --auto run tcp-server`
// both work. Words after "--" are kept as they are (verify's command).
func parseArgs(args []string) (f flags, words, rest []string, err error) {
	args = joinAutoDelay(args)
	fs := flag.NewFlagSet("sockstep", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	f.register(fs)
	for {
		if err := fs.Parse(args); err != nil {
			return f, nil, nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			rest = args[1:]
			break
		}
		words = append(words, args[0])
		args = args[1:]
	}
	return f, words, rest, nil
}

// autoFlag is --auto (plain, no prompts) or --auto 3s (presenter mode: a
// countdown between steps).
type autoFlag struct {
	on    bool
	delay time.Duration
}

func (a *autoFlag) IsBoolFlag() bool { return true }

func (a *autoFlag) String() string {
	if a.delay > 0 {
		return a.delay.String()
	}
	return strconv.FormatBool(a.on)
}

func (a *autoFlag) Set(s string) error {
	if b, err := strconv.ParseBool(s); err == nil {
		a.on, a.delay = b, 0
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return fmt.Errorf("--auto takes no value, or a delay such as 3s")
	}
	a.on, a.delay = true, d
	return nil
}

// joinAutoDelay turns "--auto 3s" into "--auto=3s": the flag package never
// gives a boolean flag the next word.
func joinAutoDelay(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		if (a == "--auto" || a == "-auto") && i+1 < len(args) {
			if d, err := time.ParseDuration(args[i+1]); err == nil && d > 0 {
				out = append(out, a+"="+args[i+1])
				i++
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

func run(ctx context.Context, args []string, e env) int {
	// verify has flags of its own (-j, --batch...), so it reads its own
	// arguments; only the language is decided here.
	if len(args) > 0 && args[0] == "verify" {
		return runVerify(ctx, args[1:], e)
	}
	f, words, _, err := parseArgs(args)
	if err != nil && f.lang == "" {
		f.lang = langArg(args) // parsing stopped before --lang
	}
	lang := pickLang(f.lang, e.getenv)
	cat := content.Text(lang)
	if err != nil {
		fmt.Fprintln(e.stderr, flagProblem(cat, err))
		fmt.Fprintln(e.stderr, cat.T("cli.see-help"))
		return exitUsage
	}
	if f.lang != "" {
		if _, ok := content.ParseLang(f.lang); !ok {
			fmt.Fprintln(e.stderr, cat.T("cli.bad-lang", f.lang))
			return exitUsage
		}
	}
	cmd := ""
	if len(words) > 0 {
		cmd, words = words[0], words[1:]
	}
	if f.help || cmd == "help" {
		topic := cmd
		if cmd == "help" && len(words) > 0 {
			topic = words[0]
			switch topic {
			case "help", "menu":
				topic = ""
			case "exercise":
				topic = "exercises"
			}
			if topic != "" && !cat.Has("help."+topic) {
				fmt.Fprintln(e.stderr, cat.T("cli.unknown-command", topic))
				fmt.Fprintln(e.stderr, cat.T("cli.see-help"))
				return exitUsage
			}
		}
		printHelp(e.stdout, cat, topic)
		return exitOK
	}
	switch cmd {
	case "", "menu":
		return cmdMenu(ctx, f, lang, e)
	case "list":
		return cmdList(f, lang, e)
	case "run", "show":
		if len(words) != 1 {
			fmt.Fprintln(e.stderr, cat.T("cli.need-lesson", cmd))
			return exitUsage
		}
		if cmd == "show" && isExercise(words[0]) {
			if l, _ := lessonByID(lang, f.lessons, words[0]); l == nil {
				// Only an exercise has this name: show its task.
				return cmdExercises(f, words, lang, e)
			}
		}
		l, code := findLesson(lang, f.lessons, words[0], e, cat)
		if l == nil {
			if cmd == "show" { // show takes an exercise's name too
				fmt.Fprintln(e.stderr, cat.T("cli.exercises-are", strings.Join(verify.IDs(), ", ")))
			}
			return code
		}
		if cmd == "show" {
			code := cmdShow(f, lang, l, e)
			if code == exitOK && isExercise(l.ID) && l.Kind == content.KindLesson {
				// The lesson and its exercise share the name: the task
				// follows the lesson, as the exercise follows it in class.
				fmt.Fprintf(e.stdout, "\n%s\n\n", cat.T("cli.exercise-follows", l.ID))
				return cmdExercises(f, words, lang, e)
			}
			return code
		}
		return cmdRun(ctx, f, lang, l, e)
	case "progress":
		return cmdProgress(f, lang, e)
	case "lint":
		return cmdLint(words, lang, e)
	case "steps":
		return cmdSteps(lang, e)
	case "classroom":
		return cmdClassroom(ctx, f, words, lang, e)
	case "exercises", "exercise":
		return cmdExercises(f, words, lang, e)
	}
	fmt.Fprintln(e.stderr, cat.T("cli.unknown-command", cmd))
	fmt.Fprintln(e.stderr, cat.T("cli.see-help"))
	return exitUsage
}

// pickLang: --lang first, then the locale.
func pickLang(flagLang string, getenv func(string) string) content.Lang {
	if l, ok := content.ParseLang(flagLang); ok {
		return l
	}
	return content.DetectLang(getenv)
}

func findLesson(lang content.Lang, dir, id string, e env, cat *content.Catalog) (*content.Lesson, int) {
	if strings.HasSuffix(id, ".md") {
		// An instructor's own lesson, written in Markdown only.
		data, err := content.ReadPath(id) // a regular file, read up to the lesson limit
		if err != nil {
			fmt.Fprintln(e.stderr, cat.T("cli.cannot-read", id, content.ErrorText(cat, err)))
			return nil, exitUsage
		}
		l, err := content.Parse(id, data)
		if err != nil {
			fmt.Fprintln(e.stderr, content.ErrorText(cat, err))
			return nil, exitUsage
		}
		l.Lang = lang
		return l, exitOK
	}
	l, err := lessonByID(lang, dir, id)
	if err != nil {
		fmt.Fprintln(e.stderr, content.ErrorText(cat, err))
		return nil, exitUsage
	}
	if l == nil || l.Kind == content.KindExercise {
		fmt.Fprintln(e.stderr, cat.T("cli.unknown-lesson", id))
		if all, err := allLessons(lang, dir); err == nil {
			var ids []string
			for _, l := range all {
				ids = append(ids, l.ID)
			}
			fmt.Fprintln(e.stderr, cat.T("cli.lessons-are", strings.Join(ids, ", ")))
		}
		return nil, exitUsage
	}
	return l, exitOK
}

// interactive is true only when both ends are terminals and --auto is not
// set: survey cannot work otherwise (it gets EOF at once, or waits forever
// for a terminal's answer that never comes).
func interactive(f flags, e env) bool {
	return !f.auto.on && term.IsTerminal(int(e.stdin.Fd())) && term.IsTerminal(int(e.stdout.Fd()))
}

// newRunner builds the runner for the chosen front end, or explains why
// the flags cannot be used.
func newRunner(f flags, lang content.Lang, e env) (*runner.Runner, int) {
	return newRunnerWith(f, lang, e, nil)
}

// hostProblem says in the learner's language why --host cannot be used.
func hostProblem(cat *content.Catalog, err error) string {
	if lines, ok := runner.ErrorText(cat, err); ok {
		return lines[0]
	}
	return err.Error()
}

// newRunnerWith is newRunner with a last say on the options.
func newRunnerWith(f flags, lang content.Lang, e env, adjust func(*runner.Options)) (*runner.Runner, int) {
	cat := content.Text(lang)
	cfg, warn, err := sessionConfig(f)
	if err != nil {
		fmt.Fprintln(e.stderr, cat.T("cli.bad-host", f.host, hostProblem(cat, err)))
		return nil, exitUsage
	}
	if f.port < 1 || f.port > 65535 {
		fmt.Fprintln(e.stderr, cat.T("cli.bad-port", f.port))
		return nil, exitUsage
	}
	if warn {
		fmt.Fprintln(e.stderr, cat.T("cli.remote-warning", cfg.Host))
		// The addresses students can reach this machine at.
		for _, a := range lessons.ReachableAddrs(cfg.Host) {
			fmt.Fprintln(e.stderr, cat.T("cli.class-address", a.Interface, a.Addr, cfg.Port))
		}
	}
	if f.style != "" && !validStyle(f.style) {
		fmt.Fprintln(e.stderr, cat.T("cli.bad-style", f.style, strings.Join(runner.Styles, ", ")))
		return nil, exitUsage
	}
	inter := interactive(f, e)
	// Presenter mode keeps the terminal's colours; without a terminal it
	// is a plain run that waits between steps.
	styled := f.auto.delay > 0 && term.IsTerminal(int(e.stdout.Fd()))
	mode := runner.Plain
	switch {
	case inter:
		mode = runner.Interactive
	case f.auto.delay > 0:
		mode = runner.Presenter
	}
	opts := runner.Options{
		Lang:     lang,
		Mode:     mode,
		Delay:    f.auto.delay,
		Terminal: inter || styled,
		Stdio:    terminal.Stdio{In: e.stdin, Out: e.stdout, Err: e.stderr},
		Out:      e.stdout,
		Style:    f.style,
		Width:    f.width,
		Session:  cfg,
		Profile:  termenv.Ascii,
		Compact:  f.compact,
	}
	if inter || styled {
		if w, _, err := term.GetSize(int(e.stdout.Fd())); err == nil && opts.Width == 0 {
			opts.Width = min(w, 120)
		}
		opts.Profile = colorProfile(e.stdout, e.getenv)
	}
	if adjust != nil {
		adjust(&opts)
	}
	r, err := runner.New(opts)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return nil, exitFail
	}
	return r, exitOK
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

func validStyle(s string) bool {
	for _, ok := range runner.Styles {
		if s == ok {
			return true
		}
	}
	return false
}

// sessionConfig checks --host. A non-loopback host is the classroom
// opt-in: allowed, with a warning (warn is true).
func sessionConfig(f flags) (cfg lessons.Config, warn bool, err error) {
	host, err := lessons.ParseHost(f.host)
	if err != nil {
		return cfg, false, err
	}
	cfg = lessons.Config{Host: host, Port: f.port}
	if !host.IsLoopback() {
		cfg.AllowRemote = true
		warn = true
	}
	return cfg, warn, nil
}

func cmdRun(ctx context.Context, f flags, lang content.Lang, l *content.Lesson, e env) int {
	cat := content.Text(lang)
	if f.step < 1 || f.step > len(l.Steps) {
		fmt.Fprintln(e.stderr, cat.T("cli.bad-step", f.step, len(l.Steps)))
		return exitUsage
	}
	pairCmd, code := roleCheck(f, l, cat, e)
	if code != exitOK {
		return code
	}
	w, code := startWire(f, cat, e)
	if w == nil {
		return code
	}
	defer w.close(cat, e)
	var transcript bytes.Buffer
	r, code := newRunnerWith(f, lang, e, func(o *runner.Options) {
		w.adjust(o)
		o.Session.Role = f.role
		if pairCmd != "" {
			o.Session.PairCommands = lessons.PairCommands(l.Pair, l.Role, o.Session.Host, o.Session.Port, f.lang)
		}
		o.StartStep = f.step - 1
		if f.record != "" {
			o.Record = &transcript
		}
	})
	if r == nil {
		return code
	}
	err := runLesson(ctx, r, l)
	if f.record != "" {
		// Written whatever the outcome: a transcript of an interrupted
		// class is still a handout. Replaced atomically, never half-written.
		if werr := progress.WriteFileAtomic(f.record, transcript.Bytes()); werr != nil {
			fmt.Fprintln(e.stderr, cat.T("cli.record-failed", f.record, werr))
		} else {
			fmt.Fprintln(e.stderr, cat.T("cli.recorded", f.record))
		}
	}
	return finish(err, cat, e)
}

// roleCheck validates --role against the lesson and returns the command
// the learner runs in the second terminal.
func roleCheck(f flags, l *content.Lesson, cat *content.Catalog, e env) (string, int) {
	if f.role == "" {
		return "", exitOK
	}
	if f.role != lessons.RoleServer && f.role != lessons.RoleClient {
		fmt.Fprintln(e.stderr, cat.T("cli.bad-role", f.role))
		return "", exitUsage
	}
	if l.Role == "" || l.Pair == "" {
		fmt.Fprintln(e.stderr, cat.T("cli.no-roles", l.ID))
		return "", exitUsage
	}
	other := lessons.RoleServer
	if l.Role == lessons.RoleServer {
		other = lessons.RoleClient
	}
	if f.role != l.Role {
		fmt.Fprintln(e.stderr, cat.T("cli.wrong-role", l.ID, l.Role, f.role, pairCommand(f, l.Pair, other)))
		return "", exitUsage
	}
	return pairCommand(f, l.Pair, other), exitOK
}

// pairCommand is the command line that plays role in the pair lesson,
// with the address flags that must match this terminal's.
func pairCommand(f flags, lesson, role string) string {
	parts := []string{"sockstep", "run", lesson, "--role", role}
	if f.port != lessons.DefaultPort {
		parts = append(parts, "--port", strconv.Itoa(f.port))
	}
	if f.host != "127.0.0.1" {
		parts = append(parts, "--host", f.host)
	}
	if f.lang != "" {
		parts = append(parts, "--lang", f.lang)
	}
	return strings.Join(parts, " ")
}

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
func finish(err error, cat *content.Catalog, e env) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, runner.ErrInterrupted), errors.Is(err, context.Canceled):
		fmt.Fprintln(e.stderr, cat.T("cli.interrupted"))
		return exitInterrupted
	case errors.Is(err, runner.ErrQuit):
		return exitOK
	}
	var se *runner.StepError
	if errors.As(err, &se) {
		// The step already explained its error in the learner's language.
		fmt.Fprintln(e.stderr, cat.T("cli.lesson-stopped-at", se.Step))
		return exitFail
	}
	fmt.Fprintln(e.stderr, cat.T("cli.lesson-stopped", err))
	return exitFail
}

func cmdShow(f flags, lang content.Lang, l *content.Lesson, e env) int {
	if f.plain {
		fmt.Fprint(e.stdout, plainMarkdown(l))
		return exitOK
	}
	r, code := newRunner(f, lang, e)
	if r == nil {
		return code
	}
	if err := r.Show(l); err != nil {
		fmt.Fprintln(e.stderr, content.ErrorText(content.Text(lang), err))
		return exitFail
	}
	return exitOK
}

// menuItems lists the lessons, then the exercises, each marked when the
// progress file says it is finished or passed.
func menuItems(lang content.Lang, dir string) ([]runner.MenuItem, error) {
	ls, err := allLessons(lang, dir)
	if err != nil {
		return nil, err
	}
	exs, err := content.Exercises(lang)
	if err != nil {
		return nil, err
	}
	lessonsDone, exercisesDone := map[string]bool{}, map[string]bool{}
	if path, err := progress.DefaultPath(); err == nil {
		if st, err := progress.Load(path); err == nil {
			for id := range st.Lessons {
				lessonsDone[id] = true
			}
			for id := range st.Exercises {
				exercisesDone[id] = true
			}
		}
	}
	return append(runner.Items(ls, lessonsDone), runner.Items(exs, exercisesDone)...), nil
}

func cmdList(f flags, lang content.Lang, e env) int {
	items, err := menuItems(lang, f.lessons)
	if err != nil {
		fmt.Fprintln(e.stderr, content.ErrorText(content.Text(lang), err))
		return exitFail
	}
	r, code := newRunner(flags{host: "127.0.0.1", port: lessons.DefaultPort, auto: autoFlag{on: true}, width: f.width}, lang, e)
	if r == nil {
		return code
	}
	r.List(items)
	return exitOK
}

// cmdMenu shows the menu and runs the chosen lessons until the learner
// leaves. Without a terminal it lists the lessons and exits: a menu there
// would wait for an answer that cannot come.
func cmdMenu(ctx context.Context, f flags, lang content.Lang, e env) int {
	cat := content.Text(lang)
	if !interactive(f, e) {
		fmt.Fprintln(e.stdout, cat.T("menu.no-terminal"))
		return cmdList(f, lang, e)
	}
	w, code := startWire(f, cat, e)
	if w == nil {
		return code
	}
	defer w.close(cat, e)
	r, code := newRunnerWith(f, lang, e, w.adjust)
	if r == nil {
		return code
	}
	for {
		items, err := menuItems(lang, f.lessons)
		if err != nil {
			fmt.Fprintln(e.stderr, content.ErrorText(content.Text(lang), err))
			return exitFail
		}
		it, ok, err := r.Menu(ctx, items)
		if err != nil {
			return finish(err, cat, e)
		}
		if !ok {
			return exitOK
		}
		if it.Kind == content.KindExercise {
			// An exercise is done in the learner's own editor: show the
			// task and how to check it, then come back to the menu.
			if ex, err := content.FindExercise(lang, it.ID); err == nil && ex != nil {
				r.Show(ex)
			}
			continue
		}
		l, err := lessonByID(lang, f.lessons, it.ID)
		if err != nil || l == nil {
			fmt.Fprintln(e.stderr, cat.T("cli.unknown-lesson", it.ID))
			return exitFail
		}
		err = runLesson(ctx, r, l)
		if errors.Is(err, runner.ErrInterrupted) || errors.Is(err, context.Canceled) {
			return finish(err, cat, e)
		}
		if err != nil && !errors.Is(err, runner.ErrQuit) {
			fmt.Fprintln(e.stderr, cat.T("cli.lesson-stopped", err))
		}
	}
}

func cmdProgress(f flags, lang content.Lang, e env) int {
	cat := content.Text(lang)
	path, err := progress.DefaultPath()
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return exitFail
	}
	if f.reset {
		if err := progress.Reset(path); err != nil {
			fmt.Fprintln(e.stderr, err)
			return exitFail
		}
		fmt.Fprintln(e.stdout, cat.T("progress.reset-done"))
		return exitOK
	}
	st, err := progress.Load(path)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return exitFail
	}
	fmt.Fprintln(e.stdout, cat.T("progress.file", path))
	fmt.Fprintln(e.stdout, cat.T("progress.lessons", len(st.Lessons)))
	for _, id := range progress.Sorted(st.Lessons) {
		fmt.Fprintf(e.stdout, "  ✓ %s  %s\n", id, st.Lessons[id].Local().Format("2006-01-02 15:04"))
	}
	fmt.Fprintln(e.stdout, cat.T("progress.exercises", len(st.Exercises)))
	for _, id := range progress.Sorted(st.Exercises) {
		fmt.Fprintf(e.stdout, "  ✓ %s  %s\n", id, st.Exercises[id].Local().Format("2006-01-02 15:04"))
	}
	return exitOK
}

func printHelp(w io.Writer, cat *content.Catalog, topic string) {
	key := "help." + topic
	if topic == "" || !cat.Has(key) {
		key = "help.main"
	}
	fmt.Fprint(w, cat.T(key))
}

// langArg finds --lang among arguments that did not parse.
func langArg(args []string) string {
	for i, arg := range args {
		if !strings.HasPrefix(arg, "-") {
			continue
		}
		a := strings.TrimLeft(arg, "-")
		if v, ok := strings.CutPrefix(a, "lang="); ok {
			return v
		}
		if a == "lang" && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

// The flag package's errors, matched so that they can be said in the
// learner's language.
var (
	reFlagUnknown  = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	reFlagNoValue  = regexp.MustCompile(`^flag needs an argument: -+(.*)$`)
	reFlagBadValue = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for flag -+([^:]*)`)
)

// flagProblem says what was wrong with the command line.
func flagProblem(cat *content.Catalog, err error) string {
	msg := err.Error()
	if m := reFlagUnknown.FindStringSubmatch(msg); m != nil {
		return cat.T("cli.flag-unknown", "--"+m[1])
	}
	if m := reFlagNoValue.FindStringSubmatch(msg); m != nil {
		return cat.T("cli.flag-no-value", "--"+m[1])
	}
	if m := reFlagBadValue.FindStringSubmatch(msg); m != nil {
		return cat.T("cli.flag-bad-value", m[1], "--"+m[2])
	}
	return cat.T("cli.bad-flag", msg)
}
