// Package runner is the flow of a lesson: render a step's text, pause for
// the learner, run the step, report what the kernel says. It knows sockets
// only through package lessons' step interface.
//
// One flow, three front ends, chosen by Options.Mode: Interactive (survey
// prompts on a terminal), Plain (no prompts, no ANSI, every step runs and
// prints) and Presenter (--auto 3s: no prompts, a countdown before each
// step that any key pauses). Code outside this package decides which; the
// rule is interactive only when stdin and stdout are both terminals and
// --auto is not given, because survey cannot be trusted without a terminal
// (it returns EOF at once, or blocks forever on a terminal that never
// answers).
//
// The package holds the flow (run.go), the three prompters (prompt.go,
// presenter.go), the rendering of lesson text with glamour and sockstep's
// own wrapping for Chinese (render.go, wrap.go), the report of calls,
// kernel facts, measurements and the timeline (report.go, measure.go,
// timeline.go), the Markdown transcript (--record) and the lesson menu.
// Below it: escape (bytes made safe for a terminal), lint (lesson files
// checked for instructors), progress (what a learner finished) and verify
// (a learner's program run against the exercise's peer).
package runner
