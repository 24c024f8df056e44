package main

import (
	"context"
	"fmt"
)

// runVerify and cmdExercises are wired to package runner/verify once it
// lands; until then they say so plainly.
func runVerify(ctx context.Context, args []string, e env) int {
	fmt.Fprintln(e.stderr, "verify: not available in this build yet")
	return exitUsage
}

func cmdExercises(lang interface{}, e env) int {
	fmt.Fprintln(e.stderr, "exercises: not available in this build yet")
	return exitUsage
}
