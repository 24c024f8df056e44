package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner/progress"
	"github.com/sockstep/sockstep/runner/verify"
)

// cmdExercises lists the exercises, or with an id shows its task; with
// --solution it shows the reference solution, once the learner has passed.
func cmdExercises(_ context.Context, c *cli, words []string) int {
	switch len(words) {
	case 0:
		var list strings.Builder
		if err := verify.List(&list, c.lang); err != nil {
			fmt.Fprintln(c.stderr, err)
			return exitFail
		}
		fmt.Fprint(c.stdout, fillHelp(list.String(), helpWidth(c.stdout)))
		return exitOK
	case 1:
		if c.o.solution {
			return showSolution(c, words[0])
		}
		return showExercise(c, words[0])
	}
	c.usageError(c.cat.T("cli.no-words", "exercises", words[1]))
	return exitUsage
}

// showExercise prints an exercise's task.
func showExercise(c *cli, id string) int {
	ex, err := content.ExerciseByID(c.lang, id)
	if err != nil || ex == nil {
		c.fail("cli.unknown-exercise", id)
		c.fail("cli.exercises-are", strings.Join(verify.IDs(), ", "))
		return exitUsage
	}
	return c.show(ex)
}

func showSolution(c *cli, id string) int {
	if !verify.Known(id) {
		return showExercise(c, id) // says there is no such exercise
	}
	path, err := progress.DefaultPath()
	passed := false
	if err == nil {
		if st, err := progress.Load(path); err == nil {
			_, passed = st.Exercises[id]
		}
	}
	if !passed {
		c.fail("cli.solution-locked", id)
		return exitFail
	}
	src, err := content.Solution(id)
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return exitFail
	}
	fmt.Fprint(c.stdout, src)
	return exitOK
}
