package main

import (
	"context"
	"os"
	"strings"
	"sync"

	"github.com/kballard/go-shellquote"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/runner"
	"github.com/sockstep/sockstep/runner/progress"
)

// cmdRun runs one lesson: sockstep run LESSON.
func cmdRun(ctx context.Context, c *cli, words []string) int {
	if len(words) != 1 {
		c.usageError(c.cat.T("cli.need-lesson", "run"))
		return exitUsage
	}
	if !c.kernelOK("run") {
		return exitFail
	}
	l, code := c.findLesson(words[0])
	if l == nil {
		return code
	}
	if c.o.step < 1 || c.o.step > len(l.Steps) {
		c.fail("cli.bad-step", c.o.step, len(l.Steps))
		return exitUsage
	}
	if c.o.record != "" {
		// Found out now, not after the whole lesson.
		if err := progress.CheckWritable(c.o.record); err != nil {
			c.fail("cli.record-unwritable", c.o.record, content.OSText(c.cat, err))
			return exitUsage
		}
	}
	pairCmds, code := c.roleCheck(l.ID, l.Role, l.Pair)
	if code != exitOK {
		return code
	}
	w, code := startWire(c)
	if w == nil {
		return code
	}
	defer w.close(c)
	var transcript lockedBuffer
	r, code := c.newRunner(func(o *runner.Options) {
		w.adjust(o)
		o.Session.Role, o.Session.PairCommands = c.o.role, pairCmds
		if c.o.role != "" && c.onTerminal() {
			// Two terminals, someone watching this one (--auto or not):
			// the other terminal's learner may take any time, the next
			// caller may come minutes later, and Ctrl-C is at hand, so
			// waiting for the other side is not cut short. Without a
			// terminal it stays bounded (StepWait), so CI never hangs.
			o.Session.WaitLimit = lessons.NoWaitLimit
		}
		o.StartStep = c.o.step - 1
		if c.o.record != "" {
			o.Record, o.CommandLine = &transcript, append([]string{"sockstep"}, os.Args[1:]...)
		}
	})
	if r == nil {
		return code
	}
	var once sync.Once
	recordFailed := false
	writeRecord := func(stuck bool) {
		if c.o.record == "" {
			return
		}
		once.Do(func() {
			// Written whatever the outcome, a signal included: a
			// transcript of an interrupted class is still a handout.
			// Replaced atomically, never half-written.
			data := transcript.Bytes()
			if stuck { // the run never returned to say so itself
				data = append(data, "\n"+c.cat.T("cli.interrupted")+"\n"...)
			}
			if werr := progress.WriteFileAtomic(c.o.record, data); werr != nil {
				c.fail("cli.record-failed", c.o.record, content.OSText(c.cat, werr))
				recordFailed = true
			} else {
				c.fail("cli.recorded", c.o.record)
			}
		})
	}
	atStuckExit(func() { writeRecord(true) })
	err := runLesson(ctx, r, l)
	writeRecord(false)
	code = c.finish(ctx, err)
	if recordFailed && code == exitOK {
		return exitFail // the promised transcript is not there
	}
	return code
}

// roleCheck validates --role against the lesson and returns the command
// lines the learner may run in the second terminal (one per address this
// one is reached at), quoted for a shell.
func (c *cli) roleCheck(id, role, pair string) ([]string, int) {
	if c.o.role == "" {
		return nil, exitOK
	}
	if c.o.role != lessons.RoleServer && c.o.role != lessons.RoleClient {
		c.fail("cli.bad-role", c.o.role)
		return nil, exitUsage
	}
	if role == "" || pair == "" {
		c.fail("cli.no-roles", id)
		return nil, exitUsage
	}
	other := lessons.RoleServer
	if role == lessons.RoleServer {
		other = lessons.RoleClient
	}
	var cmds []string
	for _, args := range pairArgs(c.o, pair, other) {
		cmds = append(cmds, shellquote.Join(append(selfCommand(), args...)...))
	}
	if c.o.role != role {
		c.fail("cli.wrong-role", id, role, c.o.role, strings.Join(cmds, "\n  "))
		return nil, exitUsage
	}
	return cmds, exitOK
}
