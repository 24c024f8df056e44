//go:build !linux

package proc

func becomeSubreaper() {}

func (p *Process) reapOrphans() {}

// killEscaped: other systems give no portable way to read another
// process's environment; the process group is all that is killed there.
func (p *Process) killEscaped() {}

// Members lists the processes of a group; unknown on this system.
func Members(pgid int) []int { return nil }
