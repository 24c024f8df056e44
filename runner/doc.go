// Package runner is the flow of a lesson: render a step's text, pause for
// the learner, run the step, report what the kernel says. It knows sockets
// only through package lessons' step interface.
//
// One flow, two front ends: interactive (survey prompts on a terminal) and
// plain (no prompts, no ANSI, every step runs and prints), chosen by
// Options.Interactive. Code outside this package decides which; the rule is
// interactive only when stdin and stdout are both terminals and --auto is
// not given, because survey cannot be trusted without a terminal (it
// returns EOF at once, or blocks forever on a terminal that never answers).
package runner
