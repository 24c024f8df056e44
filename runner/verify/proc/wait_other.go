//go:build !linux

package proc

// waitExit reaps at once where waitid(WNOWAIT) is not available. The group
// is still killed right after; the only cost is a (tiny) chance that the
// group id is reused in between.
func (p *Process) waitExit() { p.waitErr = p.cmd.Wait() }

func (p *Process) reap() error { return p.waitErr }

// exitedNow is HasExited where the watching goroutine reaps at once.
func (p *Process) exitedNow() bool { return p.HasExited() }
