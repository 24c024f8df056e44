package main

import (
	"context"
	"fmt"

	"github.com/sockstep/sockstep/runner/lint"
)

// cmdLint checks instructors' lesson files; exit status 1 when any has a
// problem, so it can guard a course repository's CI.
func cmdLint(_ context.Context, c *cli, files []string) int {
	if len(files) == 0 {
		c.usageError(c.cat.T("cli.need-files"))
		return exitUsage
	}
	problems, bad := 0, 0
	if all, err := lint.Expand(files); err == nil {
		files = all // a folder: every lesson in it
	}
	// Each file's problems in the order of its lines, those shared with
	// another file (an id given twice) among them.
	for _, ps := range lint.Files(files, true) {
		for _, p := range ps {
			fmt.Fprintln(c.stdout, lint.Format(c.cat, p))
		}
		if len(ps) > 0 {
			problems += len(ps)
			bad++
		}
	}
	if problems > 0 {
		fmt.Fprintln(c.stdout, c.cat.T("lint.found", problems, bad))
		return exitFail
	}
	fmt.Fprintln(c.stdout, c.cat.T("lint.ok", len(files)))
	return exitOK
}
