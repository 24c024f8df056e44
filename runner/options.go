package runner

import (
	"io"
	"time"

	"github.com/AlecAivazis/survey/v2/terminal"
	"github.com/muesli/termenv"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
)

// Mode is who moves a run on, and how; like http.ConnState, one value
// for what would otherwise be flags that contradict each other.
type Mode int

const (
	// Plain: no prompts, every step runs and prints, every blocking call
	// is bounded by StepWait (no terminal, or --auto).
	Plain Mode = iota
	// Interactive: survey prompts on a terminal; the learner answers
	// them. Use it only when stdin and stdout are both terminals.
	Interactive
	// Presenter (--auto 3s): no prompts, a countdown of Options.Delay
	// before each step; any key pauses or resumes it.
	Presenter
)

// Options configures a Runner.
type Options struct {
	Lang content.Lang
	Mode Mode
	// Delay is the presenter's countdown (Presenter only).
	Delay time.Duration
	// Terminal says Out is a terminal: colour and the chosen style are
	// kept, and compact mode clears the screen between steps. Always so
	// in Interactive mode; in the others, the caller knows.
	Terminal bool
	// Stdio is the terminal survey talks to (interactive only).
	Stdio terminal.Stdio
	// Out receives everything printed.
	Out io.Writer
	// Style is a glamour style name (see Styles); "" picks dark when
	// interactive and notty otherwise.
	Style string
	// Profile is the colour profile; termenv.Ascii prints no colour.
	// Plain runs always use Ascii.
	Profile termenv.Profile
	// Width is the terminal width to wrap to (80 when zero).
	Width int
	// Session configures the sockets (host, port, wait limits).
	Session lessons.Config
	// StepWait bounds blocking calls in plain runs, where no one can
	// answer: a lesson must end by itself. Zero means 10 s.
	StepWait time.Duration
	// Record, when set, receives a Markdown transcript of the run: each
	// step's text, the calls, the kernel facts and the timeline, readable
	// on its own as a handout.
	Record io.Writer
	// CommandLine is the command that started the run, written in the
	// transcript's header.
	CommandLine []string
	// TermWidth, when set, reads the terminal's width; it is read at
	// every step, so a resized terminal is honoured from the next step.
	TermWidth func() int
	// StartStep is the index of the first step to pause on (--step N is
	// N-1). The steps before it still run, without output, so that the
	// sockets they make exist.
	StartStep int
	// Compact fits each step on an 80×24 projector screen: at most 80
	// columns, no blank lines in the text, one line of facts per socket,
	// and on a terminal the screen is cleared before each step.
	Compact bool
	// Drawn marks each timeline as drawn from the calls, not captured
	// (the session has no packet capture), and WireHint adds, once, how
	// to see the real packets (main sets both when --wire auto cannot
	// capture; --wire off sets Drawn only).
	Drawn    bool
	WireHint bool
}

func (o *Options) fill() {
	if o.Lang == "" {
		o.Lang = content.English
	}
	if o.Session.Lang == "" {
		// The session's own words (an experiment's comments) are in
		// the learner's language too.
		o.Session.Lang = o.Lang
	}
	if o.Width <= 0 || o.Compact && o.Width > 80 {
		o.Width = 80
	}
	if o.Mode == Interactive {
		o.Terminal = true
	}
	if !o.Terminal {
		o.Profile = termenv.Ascii
		if o.Style == "" || o.Style == "dark" || o.Style == "light" {
			o.Style = "notty"
		}
	}
	if o.Mode != Interactive {
		if o.StepWait == 0 {
			o.StepWait = 10 * time.Second
		}
		// Two terminals with a presenter watching (--role with --auto
		// DELAY on a terminal): the other terminal's learner may take
		// any time, and Ctrl-C is at hand, so the waits are not cut short.
		paired := o.Mode == Presenter && o.Terminal && o.Session.Role != ""
		if o.Session.WaitLimit == 0 && !paired {
			o.Session.WaitLimit = o.StepWait
		}
	}
	if o.Style == "" {
		o.Style = "dark"
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
}
