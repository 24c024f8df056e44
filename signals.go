package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner"
	"golang.org/x/term"
)

// stopSignals end a run the same way: Ctrl-C (SIGINT), a closed terminal
// or tmux pane (SIGHUP) and kill (SIGTERM). Each closes every socket,
// ends every child, removes temporary files and writes the --record
// transcript before sockstep exits.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGHUP, syscall.SIGTERM}

// SignalCause is the cause of the context's cancellation (context.Cause)
// when a signal ended the run. A package that must tell which signal it
// was, and cannot import package main, matches its method:
//
//	var s interface{ Signal() os.Signal }
//	if errors.As(context.Cause(ctx), &s) { ... s.Signal() ... }
type SignalCause struct{ Sig os.Signal }

func (s SignalCause) Error() string { return "stopped by " + s.Sig.String() }

// Signal is the signal that ended the run.
func (s SignalCause) Signal() os.Signal { return s.Sig }

// signalContext is signal.NotifyContext for stopSignals, with a cause
// that names the signal (NotifyContext's says it only in words).
func signalContext(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, stopSignals...)
	go func() {
		select {
		case s := <-ch:
			cancel(SignalCause{s})
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		cancel(context.Canceled)
	}
}

// interruptedStatus is the exit status of a run a signal ended: 128 plus
// the signal's number, as shells report it (130 SIGINT, 129 SIGHUP,
// 143 SIGTERM); 130 when the learner quit with Ctrl-C at a prompt, which
// reaches us as a key, not a signal.
func interruptedStatus(ctx context.Context) int {
	var sc SignalCause
	if errors.As(context.Cause(ctx), &sc) {
		if n, ok := sc.Sig.(syscall.Signal); ok {
			return 128 + int(n)
		}
	}
	return 128 + int(syscall.SIGINT)
}

// interrupted tells whether a run that ended with err was interrupted:
// Ctrl-C at a prompt, a closed terminal (runner.ErrHangup), or a signal,
// whatever error the signal's cancellation left behind (a prompt's read
// of a terminal that closed, a call cut short).
func interrupted(ctx context.Context, err error) bool {
	if err == nil || errors.Is(err, runner.ErrQuit) {
		return false
	}
	var sc SignalCause
	return errors.Is(err, runner.ErrInterrupted) || errors.Is(err, context.Canceled) ||
		errors.As(context.Cause(ctx), &sc)
}

// exitStatusOf is the exit status of an interrupted run: the signal's
// (interruptedStatus); 129, as for SIGHUP, when the terminal closed and
// no signal came (the terminal was not the run's controlling terminal).
func exitStatusOf(ctx context.Context, err error) int {
	var sc SignalCause
	if !errors.As(context.Cause(ctx), &sc) && errors.Is(err, runner.ErrHangup) {
		return 128 + int(syscall.SIGHUP)
	}
	return interruptedStatus(ctx)
}

// exitIfStuck ends the process if it has not ended by itself soon after
// a signal. The flow normally returns at once; but survey draws a prompt
// before it puts the terminal in raw mode, and a Ctrl-C typed in that
// instant arrives as a signal while survey goes on waiting for a key. The
// terminal's mode is put back as it was, and exiting closes every socket.
func exitIfStuck(ctx context.Context) {
	fd := int(os.Stdin.Fd())
	state, err := term.GetState(fd)
	<-ctx.Done()
	var sc SignalCause
	if !errors.As(context.Cause(ctx), &sc) {
		return // the run ended by itself
	}
	time.Sleep(2 * time.Second)
	if err == nil {
		term.Restore(fd, state)
	}
	lastWords.Lock()
	defer lastWords.Unlock()
	for _, f := range lastWords.fs {
		f()
	}
	fmt.Fprintln(os.Stderr, "\n"+content.Text(lastWords.lang).T("cli.interrupted"))
	os.Exit(interruptedStatus(ctx))
}

// lastWords is what exitIfStuck still does before it ends the process: a
// run blocked in a prompt that no signal can wake (survey reads the
// terminal) would otherwise exit without the --record transcript it
// promised; and the language the run chose, for the last message.
var lastWords struct {
	sync.Mutex
	fs   []func()
	lang content.Lang
}

// atStuckExit adds f to what exitIfStuck does before it exits.
func atStuckExit(f func()) {
	lastWords.Lock()
	defer lastWords.Unlock()
	lastWords.fs = append(lastWords.fs, f)
}

// setStuckLang is the language of exitIfStuck's message.
func setStuckLang(l content.Lang) {
	lastWords.Lock()
	defer lastWords.Unlock()
	lastWords.lang = l
}

// lockedBuffer is a bytes.Buffer that exitIfStuck may read while the run
// that writes it is blocked.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// Bytes is a copy of what was written so far.
func (b *lockedBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}
