package main

import (
	"context"
	"fmt"

	"github.com/sockstep/sockstep/runner/escape"
	"github.com/sockstep/sockstep/runner/progress"
)

// cmdProgress says what the learner has finished, or forgets it (--reset).
func cmdProgress(_ context.Context, c *cli, words []string) int {
	if len(words) > 0 {
		c.usageError(c.cat.T("cli.no-words", "progress", words[0]))
		return exitUsage
	}
	path, err := progress.DefaultPath()
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return exitFail
	}
	if c.o.reset {
		if err := progress.Reset(path); err != nil {
			fmt.Fprintln(c.stderr, err)
			return exitFail
		}
		fmt.Fprintln(c.stdout, c.cat.T("progress.reset-done"))
		return exitOK
	}
	st, err := progress.Load(path)
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return exitFail
	}
	// The file is anyone's to edit, and its keys are printed: escaped as
	// peer data is, so that no key can start a terminal escape sequence.
	fmt.Fprintln(c.stdout, c.cat.T("progress.file", escape.String(path)))
	fmt.Fprintln(c.stdout, c.cat.T("progress.lessons", len(st.Lessons)))
	for _, id := range progress.Sorted(st.Lessons) {
		fmt.Fprintf(c.stdout, "  ✓ %s  %s\n", escape.String(id), st.Lessons[id].Local().Format("2006-01-02 15:04"))
	}
	fmt.Fprintln(c.stdout, c.cat.T("progress.exercises", len(st.Exercises)))
	for _, id := range progress.Sorted(st.Exercises) {
		fmt.Fprintf(c.stdout, "  ✓ %s  %s\n", escape.String(id), st.Exercises[id].Local().Format("2006-01-02 15:04"))
	}
	return exitOK
}
