package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/sockstep/sockstep/content"
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
	id := words[0]
	if verify.Known(id) {
		if l, _ := lessonByID(c.lang, c.o.lessons, id); l == nil {
			return showExercise(c, id) // only an exercise has this name
		}
	}
	l, code := c.findLesson(id)
	if l == nil {
		c.fail("cli.exercises-are", strings.Join(verify.IDs(), ", "))
		return code
	}
	if code := c.show(l); code != exitOK {
		return code
	}
	if verify.Known(l.ID) && l.Kind == content.KindLesson {
		// The lesson and its exercise share the name: the task follows
		// the lesson, as the exercise follows it in class.
		fmt.Fprintf(c.stdout, "\n%s\n\n", c.cat.T("cli.exercise-follows", l.ID))
		return showExercise(c, id)
	}
	return exitOK
}

// show prints a lesson or an exercise, rendered, or as Markdown (--plain).
func (c *cli) show(l *content.Lesson) int {
	if c.o.plain {
		fmt.Fprint(c.stdout, plainMarkdown(l))
		return exitOK
	}
	r, code := c.newRunner(nil)
	if r == nil {
		return code
	}
	if err := r.Show(l); err != nil {
		fmt.Fprintln(c.stderr, content.ErrorText(c.cat, err))
		return exitFail
	}
	return exitOK
}

// plainMarkdown is a lesson's text as Markdown, without its directives:
// `sockstep show LESSON --plain > handout.md`.
func plainMarkdown(l *content.Lesson) string {
	return strings.TrimSpace(l.Markdown(nil)) + "\n"
}
