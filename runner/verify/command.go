package verify

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/sockstep/sockstep/content"
)

// Exit statuses of Command.
const (
	ExitPass  = 0
	ExitFail  = 1
	ExitUsage = 2
)

// Command runs `sockstep verify ARGS...` (args is everything after
// "verify"): one program checked against an exercise, or with --batch a
// folder of submissions. It returns the exit status: 0 passed, 1 failed,
// 2 the command line was wrong, 130 interrupted (129 by SIGHUP, 143 by
// SIGTERM: see interruptedStatus). onPass, if not nil, is called with the
// exercise id when a single check passes.
//
// stdin is not used: the learner's program gets the exercise's input, never
// the terminal's, so a check never waits for a person.
func Command(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, lang content.Lang, onPass func(exercise string)) int {
	cat := content.Text(lang)
	a, err := parseArgs(args)
	if a.help {
		fmt.Fprintln(stdout, cat.T("verify.usage.text", joinList(IDs())))
		return ExitPass
	}
	if err == nil && !Known(a.exercise) {
		err = badUsage("unknown_exercise", a.exercise)
	}
	if err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, cat.T(ue.key, ue.args...))
		}
		fmt.Fprintln(stderr, cat.T("verify.usage.text", joinList(IDs())))
		return ExitUsage
	}
	if a.batchDir != "" {
		return runBatch(ctx, a, stdout, stderr, cat)
	}

	r, err := Run(ctx, a.exercise, a.command, Options{Timeout: a.timeout})
	if err != nil {
		fmt.Fprintln(stderr, err)
		return ExitUsage
	}
	if r.Obs.Interrupted {
		// Not a verdict: the program was stopped, nothing is written.
		fmt.Fprintln(stderr, cat.T("verify.interrupted"))
		return interruptedStatus(ctx)
	}
	writeReport(stdout, cat, styleFor(stdout), r)
	if sub := r.Obs.Exit.Substituted; sub != "" {
		saySubstituted(stderr, cat, sub)
	}
	res := rowFor(cat, quoteArgs(a.command), r)
	if err := writeExports(a, cat, []row{res}); err != nil {
		fmt.Fprintln(stderr, exportText(cat, err))
		return ExitFail
	}
	if !r.Passed {
		return ExitFail
	}
	if onPass != nil {
		onPass(a.exercise)
	}
	return ExitPass
}
