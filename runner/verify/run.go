package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/sockstep/sockstep/runner/verify/proc"
)

// host is the only address verify ever uses.
const host = "127.0.0.1"

// DefaultTimeout is the time limit of one check. Correct programs finish in
// well under a second; the limit only bounds how long a stuck one costs.
const DefaultTimeout = 5 * time.Second

// grace is how long a program gets to end after SIGTERM before SIGKILL.
const grace = 200 * time.Millisecond

// settleWait is how long a server that dropped a client gets to exit by
// itself before verify stops it. Only failing runs wait for it.
const settleWait = 200 * time.Millisecond

// maxAttempts bounds the retries when the chosen port was taken by someone
// else between verify's probe and the program's bind.
const maxAttempts = 3

// Options tune one check.
type Options struct {
	Timeout time.Duration // the time limit; 0 for DefaultTimeout
	Dir     string        // the program's working directory; "" for the current one
	Env     []string      // extra environment variables, KEY=VALUE
}

// Result is the outcome of one check.
type Result struct {
	Exercise string
	Command  []string // the program and its arguments, without HOST PORT
	Passed   bool
	Want     Facts
	Got      Facts
	Diffs    []Difference // the first few (keptDiffs)
	// DiffCount is how many differences there were in all.
	DiffCount int
	Hints     []Hint // empty when Passed
	Obs       *Observation
	Elapsed   time.Duration // the whole check, verify's work included
}

// ErrUnknownExercise is returned by Run for an id verify does not know.
var ErrUnknownExercise = errors.New("unknown exercise")

// Run checks the program argv (verify appends HOST and PORT) against the
// exercise. The error is only for a call that cannot be a check at all (an
// unknown exercise, no command); a program that cannot even be started is
// a failed Result with a hint.
func Run(ctx context.Context, exerciseID string, argv []string, opt Options) (*Result, error) {
	ex := registry[exerciseID]
	if ex == nil {
		return nil, fmt.Errorf("%w %q", ErrUnknownExercise, exerciseID)
	}
	if len(argv) == 0 {
		return nil, errors.New("no command to run was given")
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	start := time.Now()
	var o *Observation
	prog, cleanup, err := buildGoRun(ctx, argv, opt.Dir)
	defer cleanup()
	if err != nil {
		o = &Observation{Host: host, Program: argv[0], StartErr: err}
		r := &Result{Exercise: ex.id, Command: argv, Obs: o}
		r.Want, r.Got = ex.want(o), ex.got(o)
		r.Diffs, r.DiffCount = differences(ex, o, r.Want, r.Got)
		r.Hints = advise(diagnose(ex, o, r.Want, r.Got, opt.Timeout), argv, opt.Dir)
		o.Interrupted = ctx.Err() != nil
		r.Elapsed = time.Since(start)
		return r, nil
	}
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		o = runOnce(ctx, ex, prog, opt)
		o.Attempts = attempt
		if !portStolen(ex, o) || ctx.Err() != nil {
			break
		}
	}
	r := &Result{Exercise: ex.id, Command: argv, Obs: o}
	r.Want, r.Got = ex.want(o), ex.got(o)
	r.Diffs, r.DiffCount = differences(ex, o, r.Want, r.Got)
	r.Passed = len(r.Diffs) == 0 && o.StartErr == nil && !o.Interrupted
	if !r.Passed {
		r.Hints = advise(diagnose(ex, o, r.Want, r.Got, opt.Timeout), argv, opt.Dir)
	}
	o.Elapsed = time.Since(start)
	r.Elapsed = o.Elapsed
	return r, nil
}

// portStolen reports a run lost to a port that someone else bound between
// verify's probe and the program's own bind: worth another try with a fresh
// port, since the program did nothing wrong.
func portStolen(ex *exercise, o *Observation) bool {
	return ex.binds && !o.Reached && o.Exit.Exited() && reAddrInUse.Match(o.Stderr)
}

// runOnce runs the program once against a fresh peer.
func runOnce(parent context.Context, ex *exercise, argv []string, opt Options) *Observation {
	o := &Observation{Host: host, Program: argv[0]}
	ctx, cancel := context.WithTimeout(parent, opt.Timeout)
	defer cancel()
	s := &session{host: host, obs: o, ctx: ctx, fix: cancel}
	s.deadline, _ = ctx.Deadline()

	p := ex.newPeer()
	defer p.close()
	port, err := p.setup(s)
	if err != nil {
		o.StartErr = err
		return o
	}
	if ex.binds {
		var release func()
		port, release, err = reservePort()
		if err != nil {
			o.StartErr = err
			return o
		}
		defer release()
	}
	s.port, o.Port = port, port

	args := append(append([]string(nil), argv[1:]...), host, strconv.Itoa(port))
	var stdin []byte
	if ex.stdin != nil {
		stdin = ex.stdin()
	}
	pr, err := proc.Start(proc.Spec{
		Path:  argv[0],
		Args:  args,
		Dir:   opt.Dir,
		Env:   programEnv(opt.Env),
		Stdin: stdin,
	})
	if err != nil {
		o.StartErr = err
		return o
	}
	s.proc = pr
	o.Pgid = pr.Pgid()
	go s.watch()

	p.play(s)
	switch {
	case !ex.server && !s.over() && !o.WrongPort: // a wrong port is said at once
		s.waitExit()
	case ex.server && serverDropped(o):
		// A server that dropped a client may be on its way out; a moment
		// lets its exit be seen (and named) rather than cut by SIGTERM.
		select {
		case <-pr.Done():
		case <-ctx.Done():
		case <-time.After(settleFor(s)):
		}
	}
	if !o.Reached && !pr.HasExited() {
		o.OtherSockets = groupSockets(pr.Pgid())
	}
	o.TimedOut = errors.Is(ctx.Err(), context.DeadlineExceeded)
	o.Interrupted = parent.Err() != nil
	o.Exit = pr.Stop(grace)
	s.closeAll()
	o.Stdout = pr.Stdout.Bytes()
	o.StdoutTruncated = pr.Stdout.Truncated()
	o.Stderr = pr.Stderr.Bytes()
	if pr.Stderr.Truncated() {
		o.StderrTail = pr.Stderr.Tail()
	}
	return o
}

// programEnv is verify's environment plus settings that make programs
// behave the same in a pipe as in a terminal: Python flushes every print
// (so what it printed before being stopped is seen) and reads and writes
// UTF-8 whatever the locale, and leaves no __pycache__ in a submission.
func programEnv(extra []string) []string {
	env := append(os.Environ(),
		"PYTHONUNBUFFERED=1",
		"PYTHONIOENCODING=utf-8",
		"PYTHONDONTWRITEBYTECODE=1",
	)
	return append(env, extra...)
}

// lines splits program output into lines without their "\n"; a missing
// final newline is forgiven, a "\r" is kept (and shown).
func lines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	b = bytes.TrimSuffix(b, []byte("\n"))
	var out []string
	for _, l := range bytes.Split(b, []byte("\n")) {
		out = append(out, string(l))
	}
	return out
}

// exitFact is how the program ended, as the contract sees it: a server
// that verify had to stop was still serving, as it should; any other
// program that had to be stopped did not end by itself.
func exitFact(o *Observation, server bool) Exit {
	switch {
	case o.StartErr != nil:
		return ""
	case o.flooded():
		// Whether it was stopped, or crashed or exited first, what
		// fails it is the flood.
		return exitFlooded
	case o.Exit.Stopped && server:
		return exitRunning
	case o.Exit.Stopped:
		return exitTimeout
	case o.Exit.Signal != "":
		return Exit("signal:" + o.Exit.Signal)
	}
	return exitCode(o.Exit.Code)
}

// serverDropped reports a server that closed, reset or refused a client
// before verify was done with it.
func serverDropped(o *Observation) bool {
	if o.ClosedBeforeClientDone {
		return true
	}
	for _, c := range o.Conns {
		if c.Refused || c.Reset {
			return true
		}
	}
	return false
}
