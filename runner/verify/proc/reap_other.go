//go:build !linux

package proc

import "os/exec"

func becomeSubreaper() {}

func (p *Process) reapOrphans() {}

// killEscaped: other systems give no portable way to read another
// process's environment; the process group is all that is killed there.
func (p *Process) killEscaped() {}

// Members lists the processes of a group; unknown on this system.
func Members(pgid int) []int { return nil }

// StartChild starts cmd (elsewhere there is no orphan sweep to keep it from).
func StartChild(cmd *exec.Cmd) error { return cmd.Start() }

// ChildDone: nothing to forget on this system.
func ChildDone(cmd *exec.Cmd) {}

func (p *Process) killOrphans() {}

// Unprivileged: programs run as the user's own uid on this system.
func Unprivileged() (uid, gid int) { return -1, -1 }
