package runner

import "github.com/sockstep/sockstep/content"

// Warn prints one line the learner should read but that does not stop
// anything (progress that could not be saved, for one), said by say in
// the runner's language, in the warning colour where there is colour.
func (r *Runner) Warn(say func(*content.Catalog) string) {
	r.printf("%s\n", r.paint(colorErr, say(r.cat)))
}
