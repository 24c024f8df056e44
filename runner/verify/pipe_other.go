//go:build !linux

package verify

import "github.com/sockstep/sockstep/runner/verify/proc"

// writtenSoFar cannot see into the pipe here: unknown (0).
func writtenSoFar(p *proc.Process) int { return 0 }
