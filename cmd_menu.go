package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner"
	"github.com/sockstep/sockstep/runner/progress"
)

// cmdMenu shows the menu and runs the chosen lessons until the learner
// leaves. Without a terminal it lists the lessons and exits: a menu there
// would wait for an answer that cannot come.
func cmdMenu(ctx context.Context, c *cli, words []string) int {
	if len(words) > 0 {
		c.usageError(c.cat.T("cli.unknown-command", words[0]))
		return exitUsage
	}
	if !c.interactive() || !unixKernel {
		fmt.Fprintln(c.stdout, c.cat.T("menu.no-terminal"))
		return cmdList(ctx, c, nil)
	}
	w, code := startWire(c)
	if w == nil {
		return code
	}
	defer w.close(c)
	r, code := c.newRunner(w.adjust)
	if r == nil {
		return code
	}
	for {
		items, err := menuItems(c.lang, c.o.lessons)
		if err != nil {
			fmt.Fprintln(c.stderr, fillTo(c.stderr, content.ErrorText(c.cat, err)))
			return exitUsage
		}
		it, ok, err := r.Menu(ctx, items)
		if err != nil {
			return c.finish(ctx, err)
		}
		if !ok {
			return exitOK
		}
		if it.Kind == content.KindExercise {
			// An exercise is done in the learner's own editor: show the
			// task and how to check it, then come back to the menu.
			if ex, err := content.ExerciseByID(c.lang, it.ID); err == nil && ex != nil {
				r.Show(ex)
			}
			if err := r.Back(ctx); err != nil {
				return c.finish(ctx, err)
			}
			continue
		}
		l, err := lessonByID(c.lang, c.o.lessons, it.ID)
		if err != nil || l == nil {
			c.fail("cli.unknown-lesson", it.ID)
			return exitFail
		}
		err = runLesson(ctx, r, l)
		if interrupted(ctx, err) {
			return c.finish(ctx, err)
		}
		if err != nil && !errors.Is(err, runner.ErrQuit) {
			c.fail("cli.lesson-stopped", err)
		}
		if err := r.Back(ctx); err != nil {
			return c.finish(ctx, err)
		}
	}
}

// cmdList lists the lessons and exercises: sockstep list.
func cmdList(_ context.Context, c *cli, words []string) int {
	if len(words) > 0 {
		c.usageError(c.cat.T("cli.no-words", "list", words[0]))
		return exitUsage
	}
	quickExit()
	items, err := menuItems(c.lang, c.o.lessons)
	if err != nil {
		fmt.Fprintln(c.stderr, fillTo(c.stderr, content.ErrorText(c.cat, err)))
		return exitUsage
	}
	plain := *c
	plain.o = defaultOpts()
	plain.o.auto.on, plain.o.width = true, c.o.width
	r, code := plain.newRunner(nil)
	if r == nil {
		return code
	}
	r.List(items)
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
