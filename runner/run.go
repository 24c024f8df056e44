package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/kballard/go-shellquote"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
)

// Runner runs lessons with one front end and one language.
type Runner struct {
	opts Options
	// reserve is the rows the running step's explanation will take
	// (compact mode), so its results leave room for it.
	reserve int
	cat     *content.Catalog
	md      *markdown
	prompt  prompter
	out     io.Writer
	// jumpTo is the step (counted from 1) a presenter asked to go to.
	jumpTo int
	// values are what the running step measured, for the {{name}}s of
	// its prose (values.go).
	values map[string]string
	// running is set while Run runs; unfilled are the {{name}}s it met
	// that no measurement filled (a lesson's mistake, shown as "…").
	running  bool
	unfilled []string
	// hinted is set once the run has said how to see the real packets.
	hinted bool
	// wireSeq is the Seq of the last captured packet listed on its own
	// (a lesson without two parties has no timeline to put it in).
	wireSeq int
	// pager pages a compact run's screens (pager.go); nil otherwise.
	pager *pager
	// rec, while a step runs and a transcript is kept, receives what the
	// step prints, wrapped to recordWidth instead of the screen's width.
	rec *bytes.Buffer
}

// recordWidth is the width of a --record transcript, whatever the
// terminal's: a handout reads the same from every projector.
const recordWidth = 100

// New builds a Runner. The Markdown renderer is made once here and reused
// for every step.
func New(opts Options) (*Runner, error) {
	opts.fill()
	md, err := newMarkdown(opts.Style, opts.Width, opts.Profile, opts.Compact)
	if err != nil {
		return nil, err
	}
	r := &Runner{opts: opts, cat: content.Text(opts.Lang), md: md, out: opts.Out}
	switch {
	case opts.Mode == Interactive:
		if err := localiseSelectHint(); err != nil {
			return nil, err
		}
		r.prompt = surveyPrompter{cat: r.cat, stdio: opts.Stdio, style: opts.Style, answered: new(int)}
	case opts.Mode == Presenter:
		r.prompt = presenterPrompter{r: r, delay: opts.Delay, in: opts.Stdio.In, out: opts.Out}
	default:
		r.prompt = plainPrompter{}
	}
	return r, nil
}

// printf prints report lines, wrapped to the width like the lesson text
// (and, for the transcript, to recordWidth).
func (r *Runner) printf(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	r.emit(wrapTo(s, r.opts.Width), wrapTo(s, recordWidth))
}

// emit prints screen on the screen and record in the step's transcript.
func (r *Runner) emit(screen, record string) {
	io.WriteString(r.out, screen)
	if r.rec != nil {
		r.rec.WriteString(record)
	}
}

// wrapTo wraps every line of s wider than width. (Each line is measured
// by wrapLine; measuring all of s first cost as much again for a lesson.)
func wrapTo(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(wrapLine(l, width), "\n")
	}
	return strings.Join(lines, "\n")
}

// Show prints a lesson's text without running anything: its steps with
// their calls and predictions, as Handout writes it.
func (r *Runner) Show(l *content.Lesson) error {
	out, err := r.md.render(r.Handout(l))
	if err != nil {
		return err
	}
	r.printf("%s\n", out)
	return nil
}

// PlainHandout is Handout for `show --plain`: Markdown in lang, with the
// lesson's port (the default when port is 0).
func PlainHandout(lang content.Lang, port int, l *content.Lesson) string {
	r, err := New(Options{Lang: lang, Session: lessons.Config{Port: port}})
	if err != nil { // the plain style always exists
		return l.Markdown(nil)
	}
	return r.Handout(l)
}

// Handout is a lesson as Markdown, for reading without running it (show,
// show --plain): numbered steps, the calls each makes, a prediction's
// choices under its question and its answer in a section at the end, the
// port filled in and measured values as "…".
func (r *Runner) Handout(l *content.Lesson) string {
	if l.Kind == content.KindExercise { // an exercise's sections are a task, not steps to run
		return r.fillWith(l.Markdown(nil), nil, false)
	}
	sess := lessons.NewSession(r.opts.Session, nil) // previews only: nothing runs
	defer sess.Close()
	var all []content.Directive
	o := content.MarkdownOptions{
		Heading: func(i int) string { return r.cat.T("step.heading", i+1, len(l.Steps), l.Steps[i].Title) },
		Calls: func(i int) []string {
			ds := l.Steps[i].Directives
			all = append(all, ds...)
			peer := sess.PeerDirectives(all)
			return r.callLines(sess, ds, peer[len(all)-len(ds):])
		},
		Predict:  lessons.Prediction,
		Question: r.cat.T("predict.question"),
		Answers:  r.cat.T("show.answers"),
		Answer: func(heading string, n int, label string) string {
			return r.cat.T("show.answer", heading, fmt.Sprintf("%d. %s", n, label))
		},
	}
	return r.fillWith(l.MarkdownWith(o), nil, false)
}

// stepRecord keeps what one step printed, so "back" can show it again
// without running the step a second time.
type stepRecord struct {
	text    string
	width   int // the width text was rendered at
	results bytes.Buffer
	record  bytes.Buffer // the results for the transcript, recordWidth wide
	ran     bool
	values  map[string]string // what the step measured, for its prose
	// firstSeq is the Seq of the first timeline event the step could
	// add: a step's timeline that also draws earlier steps' calls (made
	// before the lesson had two parties) says from which step.
	firstSeq int
}

// Run runs a lesson from its first step (or from start, counted from 0).
// It returns nil when the lesson ends, ErrQuit when the learner stops it,
// ErrInterrupted on Ctrl-C, or the error that stopped a step. Every socket
// the lesson opened is closed before it returns, on every path.
func (r *Runner) Run(ctx context.Context, l *content.Lesson) (err error) {
	l = l.ForRole(r.opts.Session.Role != "")
	if errs := lessons.Check(l); len(errs) > 0 {
		return r.textErrors(errs)
	}
	defer r.startPaging(ctx)()
	if r.opts.Session.Port == 0 {
		port, shared := lessons.ChooseDefaultPort()
		r.opts.Session.Port = port
		if shared {
			r.printf("%s\n", r.paint(colorHead, r.cat.T("run.port-shared", lessons.DefaultPort, port)))
		}
	}
	sess := lessons.NewSession(r.opts.Session, ui{r: r})
	r.running = true
	r.wireSeq = 0
	defer func() {
		r.running = false
		if cerr := sess.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()

	intro, err := r.md.render(r.fill(l.Intro, nil))
	if err != nil {
		return err
	}
	r.printf("%s\n", intro)
	if r.paging() && r.opts.StartStep == 0 {
		// Step 1 starts a new screen: the intro (and its table) stays
		// until it has been read.
		if _, err := r.prompt.choose(ctx, "prompt.read", nil, []string{choiceNext}, choiceNext); err != nil {
			return r.stopErr(err)
		}
	}

	r.recordHeader(l)
	defer r.recordEnd(ctx, &err)
	r.record("%s\n", withoutComments(r.fill(l.Intro, nil)))
	records := make([]stepRecord, len(l.Steps))
	var shown int // Seq of the last timeline event printed
	if err := r.fastForward(ctx, sess, l, records, &shown); err != nil {
		return err
	}
	for i := r.opts.StartStep; i < len(l.Steps); i++ {
		st := l.Steps[i]
		rec := &records[i]
		r.resize()
		if !rec.ran || r.md.width != rec.width {
			rec.text, err = r.stepText(sess, l, i)
			if err != nil {
				return err
			}
			rec.width = r.md.width
		}
		r.clearScreen()
		heading := r.paint(colorHead, r.cat.T("step.heading", i+1, len(l.Steps), st.Title))
		r.pageHeading(heading)
		r.printf("%s\n", rec.text)
		var action string
		if rec.ran { // came back here: show what happened, do not rerun
			r.printf("%s", rec.results.String())
			if err := r.after(st, rec.values); err != nil {
				return err
			}
			action, err = r.revisit(ctx, i > 0)
		} else {
			action, err = r.pause(ctx, st, i > 0, len(st.Directives) > 0)
		}
		if err != nil {
			return r.stopErr(err)
		}
		switch action {
		case choiceQuit:
			return ErrQuit
		case choiceExplain:
			i--
			continue
		case choiceNext:
			if rec.ran {
				continue
			}
		case choiceBack:
			r.printf("\n%s\n", r.paint(colorDim, r.cat.T("step.back-note")))
			i -= 2
			if i < -1 {
				i = -1
			}
			continue
		case choiceJump:
			to := min(max(r.jumpTo, 1), len(l.Steps)) - 1
			if err := r.runSilently(ctx, sess, l, records, &shown, i, to); err != nil {
				return err
			}
			i = to - 1
			continue
		}
		if r.clearScreen() {
			// The explanation has been read: the results get a screen of
			// their own, under the step's title.
			r.printf("%s\n", heading)
		}
		r.reserve = 0
		if r.opts.Compact && st.After != "" {
			// The explanation shares the results' screen: keep room.
			// (Its values are not measured yet; only its length counts.)
			if text, err := r.md.render(r.fillWith(st.After, nil, false)); err == nil {
				r.reserve = strings.Count(text, "\n")
			}
		}
		out := r.out
		r.out = io.MultiWriter(out, &rec.results)
		r.rec = &rec.record
		r.values = nil
		rec.firstSeq = sess.LastSeq() + 1
		err = r.runStep(ctx, sess, st)
		rec.values, r.values = r.values, nil
		if err == nil {
			r.stepTimeline(sess, &shown, &rec.results, records, i)
		}
		r.out, r.rec = out, nil
		if err == nil {
			err = r.after(st, rec.values)
		}
		r.recordStep(l, i, rec)
		if err != nil {
			return r.stopErr(err)
		}
		rec.ran = true
		if err := r.holdScreen(ctx); err != nil {
			return r.stopErr(err)
		}
	}
	r.pageHeading("") // the closing timeline has headings of its own
	if socks := sess.Sockets(); twoParty(socks) {
		full := r.timeline(sess.Timeline(), socks, true)
		title := fmt.Sprintf("\n  %s%s\n", r.paint(colorHead, r.cat.T("timeline.full")), r.wireTitle(sess, r.cat.T("timeline.full")))
		r.clearScreen() // the whole timeline gets screens of its own
		r.pagedTimeline(title, full)
		full = r.timelineAt(sess.Timeline(), socks, true, recordWidth)
		r.record("\n## %s%s\n\n```\n%s```\n", r.cat.T("timeline.full"), ansi.Strip(r.wireTitle(sess, r.cat.T("timeline.full"))), ansi.Strip(full))
	}
	r.printf("\n%s\n", r.paint(colorOK, r.cat.T("lesson.done", l.Title)))
	r.record("\n%s\n", r.cat.T("lesson.done", l.Title))
	if r.pager != nil && r.pager.err != nil {
		return r.stopErr(r.pager.err)
	}
	return nil
}

// pagedTimeline prints the whole timeline under its title. When the run
// pages its screens, each screen of it repeats the title and the column
// headings, so that the sides are still named on the third screen.
func (r *Runner) pagedTimeline(title, tl string) {
	lines := strings.SplitAfter(tl, "\n")
	if r.pager == nil || len(lines) < 3 {
		r.printf("%s%s", title, tl)
		return
	}
	head, rows := strings.Join(lines[:2], ""), lines[2:]
	per := max(r.pager.rows-pageHold-strings.Count(title, "\n")-2-1, 4) // -1: the last screen's closing line
	for len(rows) > 0 {
		n := min(per, len(rows))
		r.printf("%s%s%s", title, head, strings.Join(rows[:n], ""))
		rows = rows[n:]
		if len(rows) > 0 {
			r.pager.pageBreak()
		}
	}
}

// stepTimeline prints the timeline rows step i added, under the column
// headings. Calls of earlier steps that had only one party (a server
// set up before any client) are drawn with it, and the title then names
// the steps it covers.
//
// used is what the step printed so far, when known: in compact mode the
// timeline is left out if it would push the screen past 24 rows.
func (r *Runner) stepTimeline(sess *lessons.Session, shown *int, used *bytes.Buffer, records []stepRecord, i int) {
	socks := sess.Sockets()
	if !twoParty(socks) {
		r.stepPackets(sess, used)
		return
	}
	// Events are picked by sequence number, not position: an event of a
	// socket joins the timeline only once the socket takes a side, so
	// positions shift.
	var fresh lessons.Timeline
	for _, e := range sess.Timeline() {
		if e.Seq > *shown {
			fresh = append(fresh, e)
			*shown = max(*shown, e.Seq)
		}
	}
	if len(fresh) == 0 {
		return
	}
	render := func(events lessons.Timeline) string { return r.timeline(events, socks, true) }
	fresh, tl, ok := r.fitCompact(fresh, render, used, 3)
	if !ok {
		// On a 24-row screen the calls above already tell this step's
		// story; the whole timeline follows at the end of the lesson.
		r.printf("  %s\n", r.paint(colorDim, r.cat.T("timeline.compact-later")))
		return
	}
	title := r.cat.T("timeline.title")
	if from := stepOf(records, i, fresh[0].Seq); from < i {
		title = r.cat.T("timeline.title-since", from+1, i+1)
	}
	head := fmt.Sprintf("\n  %s%s\n", r.paint(colorHead, title), r.wireTitle(sess, title))
	r.emit(wrapTo(head, r.opts.Width)+tl, wrapTo(head, recordWidth)+r.timelineAt(fresh, socks, true, recordWidth))
	if !sess.Captured() {
		r.wireHint()
	}
}

// stepOf is the index of the step, among the first i+1, in which the
// event numbered seq happened.
func stepOf(records []stepRecord, i, seq int) int {
	for i > 0 && (records[i].firstSeq == 0 || records[i].firstSeq > seq) {
		i--
	}
	return i
}

// fastForward runs the steps before StartStep without output or prompts,
// so that a presenter can start in the middle of a lesson with every
// socket the earlier steps made.
func (r *Runner) fastForward(ctx context.Context, sess *lessons.Session, l *content.Lesson, records []stepRecord, shown *int) error {
	return r.runSilently(ctx, sess, l, records, shown, 0, r.opts.StartStep)
}

// runSilently runs steps from..to-1 that have not run yet, without output
// or prompts, keeping what each printed for a later look back: a
// presenter's jump forward, or a start in the middle.
func (r *Runner) runSilently(ctx context.Context, sess *lessons.Session, l *content.Lesson, records []stepRecord, shown *int, from, to int) error {
	out, prompt := r.out, r.prompt
	defer func() { r.out, r.prompt, r.rec = out, prompt, nil }()
	r.prompt = plainPrompter{}
	for i := max(from, 0); i < to && i < len(l.Steps); i++ {
		rec := &records[i]
		if rec.ran {
			continue
		}
		text, err := r.stepText(sess, l, i)
		if err != nil {
			return err
		}
		rec.text = text
		r.out, r.rec = &rec.results, &rec.record
		rec.firstSeq = sess.LastSeq() + 1
		if err := sess.RunStep(ctx, l.Steps[i].Directives); err != nil {
			return r.stopErr(&StepError{Step: l.Steps[i].Title, Err: err})
		}
		r.stepTimeline(sess, shown, nil, records, i)
		rec.ran = true
		r.recordStep(l, i, rec)
	}
	return nil
}

// clearScreen starts a new screen in compact mode on a terminal (an
// 80×24 projector shows one part of a step at a time) and reports whether
// it did.
func (r *Runner) clearScreen() bool {
	if !r.opts.Compact || !r.opts.Terminal {
		return false
	}
	io.WriteString(r.out, clearSeq)
	return true
}

// holdScreen keeps a step's results on a compact screen until they have
// been read: the next step starts by clearing it. The learner presses
// Enter; a presenter's countdown runs instead. The last step is held too:
// the whole timeline and the end of the lesson follow, and would push it
// away.
func (r *Runner) holdScreen(ctx context.Context) error {
	if !r.opts.Compact || r.opts.Mode == Plain {
		return nil
	}
	_, err := r.prompt.choose(ctx, "prompt.results-read", nil, []string{choiceNext}, choiceNext)
	return err
}

// pageHeading sets the line a compact run's pager writes at the top of a
// screen it starts after a page break: the step's heading, so that a step
// too long for one screen (its prompt alone on the next one, tcp-server's
// step 17) still says which step it is, on one row. "" writes none.
func (r *Runner) pageHeading(h string) {
	if r.pager != nil {
		// One row, as the pager counts it: cut to the width if need be.
		r.pager.heading = ansi.Truncate(h, max(r.opts.Width, 20), "…")
	}
}

// compactScreen is the height --compact fits a step's results into.
const compactScreen = 24

// clearSeq moves the cursor home and clears the screen.
const clearSeq = "\x1b[H\x1b[2J"

// after prints what a step's results mean, written below <!-- after -->
// in the lesson.
//
// values are what the step measured, for the {{name}}s of the prose.
func (r *Runner) after(st content.Step, values map[string]string) error {
	if st.After == "" {
		return nil
	}
	out, err := r.md.render(r.fill(st.After, values))
	if err != nil {
		return err
	}
	if r.opts.Compact {
		r.printf("%s", out)
		return nil
	}
	r.printf("\n%s\n", out)
	return nil
}

// record writes to the transcript, if one is kept.
func (r *Runner) record(format string, args ...any) {
	if r.opts.Record != nil {
		fmt.Fprintf(r.opts.Record, format, args...)
	}
}

// recordHeader starts a transcript with what a handout's reader needs to
// know about the run: the lesson, when, in which language, on which port,
// the command, and the width it is written at.
func (r *Runner) recordHeader(l *content.Lesson) {
	if r.opts.Record == nil {
		return
	}
	cmd := "sockstep"
	if len(r.opts.CommandLine) > 0 {
		cmd = shellquote.Join(r.opts.CommandLine...)
	}
	r.record("%s", r.cat.T("record.header", l.ID, l.Title, time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		r.opts.Lang, r.opts.Session.Port, mdCode(cmd), recordWidth))
}

// mdCode writes s as Markdown code, with a fence longer than any run of
// backticks in it.
func mdCode(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if fence == "`" {
		return fence + s + fence
	}
	return fence + " " + s + " " + fence
}

// resize takes the terminal's width again (Options.TermWidth): a window
// resized during a lesson is honoured from the next step on.
func (r *Runner) resize() {
	if r.opts.TermWidth == nil {
		return
	}
	w := r.opts.TermWidth()
	if w <= 0 {
		return
	}
	w = min(w, 120)
	if r.opts.Compact {
		w = min(w, 80)
	}
	r.opts.Width = w
	r.md.width = max(w, 20)
	if r.pager != nil {
		r.pager.cols = w
	}
}

// recordEnd says in the transcript that the run did not reach the end,
// and why, when it did not. A run whose context was cancelled (a signal)
// was interrupted, whatever error the cancellation left behind.
func (r *Runner) recordEnd(ctx context.Context, errp *error) {
	err := *errp
	if r.opts.Record == nil || err == nil {
		return
	}
	var se *StepError
	switch {
	case errors.Is(err, ErrInterrupted) || errors.Is(err, context.Canceled) || (ctx.Err() != nil && !errors.Is(err, ErrQuit)):
		r.record("\n%s\n", r.cat.T("record.interrupted"))
	case errors.As(err, &se):
		r.record("\n%s\n", r.cat.T("record.stopped", se.Step))
	default:
		r.record("\n%s\n", r.cat.T("record.quit"))
	}
}

// recordStep writes one step to the transcript: its text as written, then
// what happened, as plain text in a code block.
func (r *Runner) recordStep(l *content.Lesson, i int, rec *stepRecord) {
	st := l.Steps[i]
	r.record("\n## %s\n\n%s\n", r.cat.T("step.heading", i+1, len(l.Steps), st.Title), withoutComments(r.fill(st.Body, nil)))
	if res := strings.Trim(ansi.Strip(rec.record.String()), "\n"); res != "" {
		r.record("\n```\n%s\n```\n", res)
	}
	if st.After != "" {
		r.record("\n%s\n", withoutComments(r.fill(st.After, rec.values)))
	}
}

// htmlComment is an author's note in a lesson (a man page reference, how
// a claim was checked): Markdown renders it as nothing, so a transcript,
// which is read as plain text too, leaves it out.
var htmlComment = regexp.MustCompile(`(?s)<!--.*?-->\n?`)

var blankLines = regexp.MustCompile(`\n{3,}`)

func withoutComments(s string) string {
	out := blankLines.ReplaceAllString(htmlComment.ReplaceAllString(s, ""), "\n\n")
	if strings.HasSuffix(strings.TrimRight(s, " \t\n"), "-->") {
		// A text that ends with a note ends where its prose ends, not
		// with the blank lines that stood before the note.
		out = strings.TrimRight(out, " \t\n")
		if strings.HasSuffix(s, "\n") {
			out += "\n"
		}
	}
	return out
}

// stopErr turns a context cancellation (Ctrl-C during a blocking call)
// into ErrInterrupted.
func (r *Runner) stopErr(err error) error {
	if errors.Is(err, context.Canceled) {
		return ErrInterrupted
	}
	return err
}

// stepText renders a step's prose and the calls it is about to make.
func (r *Runner) stepText(sess *lessons.Session, l *content.Lesson, i int) (string, error) {
	st := l.Steps[i]
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n%s\n", r.cat.T("step.heading", i+1, len(l.Steps), st.Title), r.fill(st.Body, nil))
	if len(st.Directives) > 0 {
		b.WriteString("\n```\n")
		for _, c := range r.callLines(sess, st.Directives, sess.PeerDirectives(st.Directives)) {
			b.WriteString(c + "\n")
		}
		b.WriteString("```\n")
	}
	return r.md.render(b.String())
}

// callLines previews the calls of a step's directives, each marked with
// who makes it when that is not the learner (peer[i]: sockstep's side).
func (r *Runner) callLines(sess *lessons.Session, ds []content.Directive, peer []bool) []string {
	var out []string
	ext := sess.ExternalDirectives(ds)
	for i, d := range ds {
		who := ""
		switch {
		case ext[i] && r.opts.Session.Role == "":
			who = "  # " + r.cat.T("who.external")
		case i < len(peer) && peer[i]:
			who = "  # " + r.who(true)
		}
		if p := sess.Preview(d); p != "" {
			out = append(out, p+who)
		}
	}
	return out
}

// pause asks what to do before a step runs.
// revisit asks what to do at a step shown again after going back: go on
// to the next one, or further back.
func (r *Runner) revisit(ctx context.Context, canBack bool) (string, error) {
	opts := []string{choiceNext}
	if canBack {
		opts = append(opts, choiceBack)
	}
	opts = append(opts, choiceQuit)
	return r.prompt.choose(ctx, "prompt.what-next", nil, opts, choiceNext)
}

func (r *Runner) pause(ctx context.Context, st content.Step, canBack, hasCall bool) (string, error) {
	first := choiceRun
	if !hasCall {
		first = choiceNext
	}
	opts := []string{first, choiceExplain}
	if canBack {
		opts = append(opts, choiceBack)
	}
	opts = append(opts, choiceQuit)
	return r.prompt.choose(ctx, "prompt.what-next", nil, opts, first)
}

// runStep runs one step; on an error it explains it and, interactively,
// offers to try again (after freeing the port, say).
func (r *Runner) runStep(ctx context.Context, sess *lessons.Session, st content.Step) error {
	for {
		err := sess.RunStep(ctx, st.Directives)
		if err == nil {
			return nil
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, ErrInterrupted) {
			return err
		}
		if !sess.Explained(err) { // not already explained with its call
			r.printf("  %s\n", r.paint(colorErr, r.cat.T("step.failed")))
			for _, line := range r.explain(err) {
				r.printf("      %s\n", line)
			}
		}
		if r.opts.Mode != Interactive {
			return &StepError{Step: st.Title, Err: err}
		}
		ans, perr := r.prompt.choose(ctx, "prompt.after-error", nil, []string{choiceRetry, choiceQuit}, choiceQuit)
		if perr != nil {
			return perr
		}
		if ans != choiceRetry {
			return &StepError{Step: st.Title, Err: err}
		}
	}
}

// TextError is a lesson whose text has mistakes (lessons.Check): every
// one, each at its line, said in the learner's language by Error.
type TextError struct {
	Errs []error
	text string
}

func (e *TextError) Error() string   { return e.text }
func (e *TextError) Unwrap() []error { return e.Errs }

func (r *Runner) textErrors(errs []error) error {
	lines := make([]string, len(errs))
	for i, err := range errs {
		lines[i] = err.Error()
		var pe *content.ParseError
		if errors.As(err, &pe) {
			lines[i] = pe.Text(r.cat)
		}
	}
	return &TextError{Errs: errs, text: strings.Join(lines, "\n")}
}

// StepError is a step that could not be completed.
type StepError struct {
	Step string
	Err  error
}

func (e *StepError) Error() string { return fmt.Sprintf("step %q: %v", e.Step, e.Err) }
func (e *StepError) Unwrap() error { return e.Err }
