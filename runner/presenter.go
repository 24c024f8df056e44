package runner

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/AlecAivazis/survey/v2/terminal"
	"golang.org/x/sys/unix"
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
	if msgKey == "prompt.what-next" || msgKey == "prompt.results-read" {
		if err := p.countdown(ctx); err != nil {
			return "", err
		}
	}
	return p.plainPrompter.choose(ctx, msgKey, args, options, def)
}

// countdown shows "next step in 3 s" on one line, updated in place. Keys
// are read with poll in raw mode only while it runs, so nothing is left
// reading the terminal afterwards; Ctrl-C arrives as a byte in raw mode
// and is treated as an interrupt.
func (p presenterPrompter) countdown(ctx context.Context) error {
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
	paused := false
	show := func() {
		msg := p.r.cat.T("presenter.next", (left + time.Second - 1).Truncate(time.Second).Seconds())
		if paused {
			msg = p.r.cat.T("presenter.paused")
		}
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
	for left > 0 || paused {
		if err := ctx.Err(); err != nil {
			return err
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
			return err
		}
		if n > 0 {
			buf := make([]byte, 16)
			k, _ := unix.Read(fd, buf)
			for _, b := range buf[:max(k, 0)] {
				if b == 3 { // Ctrl-C
					return ErrInterrupted
				}
			}
			if k > 0 {
				paused = !paused
			}
		}
		if !paused {
			left -= time.Since(start)
		}
	}
	return nil
}
