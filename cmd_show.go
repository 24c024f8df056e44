package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner"
	"github.com/sockstep/sockstep/runner/verify"
)

// cmdShow prints a lesson's text without running it: sockstep show NAME.
// NAME may also be an exercise's: its task is shown, after the lesson
// when a lesson has the same name.
func cmdShow(_ context.Context, c *cli, words []string) int {
	if len(words) != 1 {
		c.usageError(c.cat.T("cli.need-lesson", "show"))
		return exitUsage
	}
	quickExit()
	id := words[0]
	if verify.Known(id) {
		ex, _ := content.ExerciseByID(c.lang, id)
		l, err := lessonByID(c.lang, c.o.lessons, id)
		if err != nil { // the --lessons folder has problems
			fmt.Fprintln(c.stderr, fillTo(c.stderr, content.ErrorText(c.cat, err)))
			return exitUsage
		}
		switch {
		case l == nil && ex != nil:
			return c.show(ex) // only an exercise has this name
		case l != nil && ex != nil && l.Kind == content.KindLesson:
			// The lesson and its exercise share the name: the task
			// follows the lesson, as the exercise follows it in class.
			return c.show(l, ex)
		}
	}
	l, code, unknown := c.lookLesson(id)
	if l == nil {
		if unknown { // perhaps the learner meant an exercise
			c.fail("cli.exercises-are", strings.Join(verify.IDs(), ", "))
		}
		return code
	}
	return c.show(l)
}

// show prints lessons or exercises, rendered, or as Markdown (--plain);
// each after the first is introduced as the exercise that follows. They
// are rendered at once (rendering is most of show's time): the first, a
// lesson and the longest, on this goroutine, so that it starts at once;
// the others on goroutines of their own. (With every document on a new
// goroutine, the one started last ran first, and the lesson often waited
// for it: Go runs the newest goroutine next, and another thread takes
// long to wake and steal the rest.) They are printed in order.
func (c *cli) show(docs ...*content.Lesson) int {
	if c.o.plain {
		for i, d := range docs {
			c.follows(i, d)
			fmt.Fprint(c.stdout, plainMarkdown(d, c.lang, c.o.port))
		}
		return exitOK
	}
	opts, code := c.checkedOptions()
	if code != exitOK {
		return code
	}
	outs := make([]bytes.Buffer, len(docs))
	errs := make(chan error, len(docs))
	for i, d := range docs[1:] {
		go func() { errs <- render(opts, &outs[i+1], d) }()
	}
	errs <- render(opts, &outs[0], docs[0])
	var err error
	for range docs {
		if e := <-errs; e != nil && err == nil {
			err = e
		}
	}
	if err != nil {
		fmt.Fprintln(c.stderr, fillTo(c.stderr, content.ErrorText(c.cat, err)))
		return exitFail
	}
	for i, d := range docs {
		c.follows(i, d)
		c.stdout.Write(outs[i].Bytes())
	}
	return exitOK
}

// quickExit tunes the garbage collector for a command that prints and
// exits within milliseconds: its heap is a few MB, so collecting it (three
// times, with the default GOGC=100 and its 4 MB start) was a quarter of
// show's CPU time. A soft limit of 256 MiB keeps a huge document from
// growing the heap five times over unchecked.
func quickExit() {
	debug.SetGCPercent(400)
	debug.SetMemoryLimit(256 << 20)
}

// follows introduces the i-th document shown, when it is not the first.
func (c *cli) follows(i int, d *content.Lesson) {
	if i > 0 {
		fmt.Fprintf(c.stdout, "\n%s\n\n", fillTo(c.stdout, c.cat.T("cli.exercise-follows", d.ID)))
	}
}

// render writes one document with a runner of its own (a renderer is not
// shared between goroutines).
func render(opts runner.Options, w io.Writer, d *content.Lesson) error {
	opts.Out = w
	r, err := runner.New(opts)
	if err != nil {
		return err
	}
	return r.Show(d)
}

// plainMarkdown is a lesson's text as Markdown, without its directives:
// `sockstep show LESSON --plain > handout.md` (runner.PlainHandout).
func plainMarkdown(l *content.Lesson, lang content.Lang, port int) string {
	return strings.TrimSpace(runner.PlainHandout(lang, port, l)) + "\n"
}
