package main

import (
	"context"
	"fmt"

	"github.com/sockstep/sockstep/runner/progress"
	"github.com/sockstep/sockstep/runner/verify"
)

// cmdVerify hands `sockstep verify ...` to package verify, which reads its
// own flags (--timeout, --batch, -j, --json, --csv); --lang has been
// taken out already. A pass is recorded as progress. A signal ends it
// with the signal's status (130 for Ctrl-C), never 1 "not passed".
func cmdVerify(ctx context.Context, c *cli, args []string) int {
	if !c.kernelOK("verify") {
		return exitFail
	}
	code := verify.Command(ctx, args, c.stdin, c.stdout, c.stderr, c.lang, func(id string) {
		if path, err := progress.DefaultPath(); err == nil {
			if err := progress.MarkExercise(path, id); err != nil { // a convenience, never a failure
				fmt.Fprintln(c.stderr, progress.Warning(c.cat, err))
			}
		}
		fmt.Fprintln(c.stdout, c.cat.T("cli.passed-next", id))
	})
	if ctx.Err() != nil && code != exitOK {
		c.fail("cli.interrupted")
		return interruptedStatus(ctx)
	}
	return code
}
