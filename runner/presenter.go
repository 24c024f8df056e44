package runner

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/AlecAivazis/survey/v2/terminal"
	"github.com/charmbracelet/x/ansi"
	unix "github.com/sockstep/sockstep/lessons/unixshim"
	"golang.org/x/term"
)

// presenterPrompter advances by itself, for an instructor at a projector:
// before each step a countdown runs, and any key pauses or resumes it.
// Every other question gets its default, as in a plain run.
type presenterPrompter struct {
	plainPrompter
	r     *Runner
	delay time.Duration
	in    terminal.FileReader // nil when stdin is not a terminal
	out   io.Writer
}

func (p presenterPrompter) choose(ctx context.Context, msgKey string, args []any, options []string, def string) (string, error) {
	if msgKey != "prompt.what-next" && msgKey != "prompt.results-read" && msgKey != "prompt.read" {
		return p.plainPrompter.choose(ctx, msgKey, args, options, def)
	}
	act, target, err := p.countdown(ctx)
	if err != nil {
		return "", err
	}
	switch {
	case act == choiceJump && msgKey == "prompt.what-next":
		p.r.jumpTo = target
		return choiceJump, nil
	case act != "" && slices.Contains(options, act):
		return act, nil
	}
	return p.plainPrompter.choose(ctx, msgKey, args, options, def)
}

// presenterKeys reads a presenter's keys during a countdown: Enter (or n,
// or →) goes on at once, b (or ←) goes back a step, a number then Enter
// jumps to that step, q quits; any other key pauses or resumes.
type presenterKeys struct {
	digits string
	paused bool
}

// key takes the bytes of one read and returns the action they ask for
// ("" for none yet). Arrow keys arrive as ESC [ C and ESC [ D.
func (k *presenterKeys) key(b []byte) (act string, err error) {
	switch s := string(b); s {
	case "\x1b[C":
		return choiceNext, nil
	case "\x1b[D":
		return choiceBack, nil
	case "\x1b":
		k.digits = ""
		return "", nil
	}
	for _, c := range b {
		switch {
		case c == 3: // Ctrl-C in raw mode
			return "", ErrInterrupted
		case c >= '0' && c <= '9':
			if len(k.digits) < 4 {
				k.digits += string(c)
			}
		case c == 127 || c == 8:
			if k.digits != "" {
				k.digits = k.digits[:len(k.digits)-1]
			}
		case c == '\r' || c == '\n':
			if k.digits != "" {
				return choiceJump, nil
			}
			return choiceNext, nil
		case c == 'n':
			return choiceNext, nil
		case c == 'b':
			return choiceBack, nil
		case c == 'q':
			return choiceQuit, nil
		case c == 0x1b || c == '[':
			// part of an escape sequence split across reads
		default:
			k.paused = !k.paused
		}
	}
	return "", nil
}

// countdown shows "next step in 3 s" on one line, updated in place, and
// returns the action a key asked for ("" when the time ran out) and, for
// a jump, the step number typed. Keys are read with poll in raw mode
// only while it runs, so nothing is left reading the terminal afterwards;
// Ctrl-C arrives as a byte in raw mode and is treated as an interrupt.
func (p presenterPrompter) countdown(ctx context.Context) (act string, target int, err error) {
	var fd int
	raw := false
	if p.in != nil && term.IsTerminal(int(p.in.Fd())) {
		fd = int(p.in.Fd())
		if st, err := term.MakeRaw(fd); err == nil {
			raw = true
			defer term.Restore(fd, st)
		}
	}
	left := p.delay
	var keys presenterKeys
	show := func() {
		msg := p.r.cat.T("presenter.next", (left + time.Second - 1).Truncate(time.Second).Seconds())
		switch {
		case keys.digits != "":
			msg = p.r.cat.T("presenter.jump", keys.digits)
		case keys.paused:
			msg = p.r.cat.T("presenter.paused")
		}
		// The line is rewritten in place: were it wider than the screen,
		// each rewrite would wrap and leave a copy above.
		msg = fitParts(msg, p.r.screenWidth()-3)
		fmt.Fprintf(p.out, "\r\x1b[2K  %s", p.r.paint(colorDim, msg))
	}
	if !raw {
		show = func() {}
	}
	defer func() {
		if raw {
			fmt.Fprint(p.out, "\r\x1b[2K")
		}
	}()
	tick := 100 * time.Millisecond
	for left > 0 || keys.paused || keys.digits != "" {
		if err := ctx.Err(); err != nil {
			return "", 0, err
		}
		show()
		if !raw {
			time.Sleep(min(tick, left))
			left -= tick
			continue
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		start := time.Now()
		n, err := unix.Poll(fds, int(tick/time.Millisecond))
		if err != nil && err != unix.EINTR {
			return "", 0, err
		}
		if n > 0 {
			buf := make([]byte, 16)
			k, rerr := unix.Read(fd, buf)
			if k == 0 && rerr == nil {
				rerr = io.EOF
			}
			if h := hungUp(ctx, rerr); h != nil {
				return "", 0, h // the terminal was closed
			}
			act, err := keys.key(buf[:max(k, 0)])
			if err != nil {
				return "", 0, err
			}
			if act == choiceJump {
				target, _ = strconv.Atoi(keys.digits)
			}
			if act != "" {
				return act, target, nil
			}
		}
		if !keys.paused && keys.digits == "" {
			left -= time.Since(start)
		}
	}
	return "", 0, nil
}

// fitParts fits a line made of parts joined by " · " (the most important
// first) into width columns: it drops parts from the end until the rest
// fits, and cuts the first part with "…" if even it alone does not.
// A width of 0 or less (unknown) leaves the line as it is.
func fitParts(line string, width int) string {
	if width <= 0 || ansi.StringWidth(line) <= width {
		return line
	}
	parts := strings.Split(line, " · ")
	for n := len(parts) - 1; n > 0; n-- {
		if s := strings.Join(parts[:n], " · "); ansi.StringWidth(s) <= width {
			return s
		}
	}
	return ansi.Truncate(parts[0], max(width, 1), "…")
}

// screenWidth is the terminal's width now, for lines that must never wrap
// (a countdown rewritten in place, a menu survey redraws): the width read
// from the terminal when there is one, else --width; 0 when unknown.
func (r *Runner) screenWidth() int {
	if r.opts.TermWidth != nil {
		if w := r.opts.TermWidth(); w > 0 {
			return w
		}
	}
	return r.opts.Width
}
