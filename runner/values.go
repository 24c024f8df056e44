package runner

import (
	"maps"
	"regexp"
	"strconv"

	"github.com/sockstep/sockstep/lessons"
)

// Prose may name values that come from the run rather than from the
// writer, as {{name}}: a sentence about a measurement then states the
// number this run measured, and a sentence about the lesson's port states
// the port this run uses, whatever --port said.
//
//   - {{port}} is the lesson's port;
//   - below <!-- after -->, an experiment's Measurement.Values fill the
//     names it offers (see each experiment's doc).
//
// The unit is written in the prose, in its language ("{{b_wait}} ms",
// "{{b_wait}} 毫秒"); a value is a bare number.
var valueRef = regexp.MustCompile(`\{\{\s*([a-z][a-z0-9_]*)\s*\}\}`)

// unknownValue stands for a value the run has not measured (sockstep show,
// or a step that failed before measuring).
const unknownValue = "…"

// fill replaces every {{name}} in md with its value. During a run, a name
// no value fills is noted in r.unfilled.
func (r *Runner) fill(md string, values map[string]string) string {
	return r.fillWith(md, values, r.running)
}

func (r *Runner) fillWith(md string, values map[string]string, note bool) string {
	return valueRef.ReplaceAllStringFunc(md, func(ref string) string {
		name := valueRef.FindStringSubmatch(ref)[1]
		if name == "port" {
			return strconv.Itoa(r.port())
		}
		if v, ok := values[name]; ok {
			return v
		}
		if note {
			r.unfilled = append(r.unfilled, name)
		}
		return unknownValue
	})
}

// port is the port the lesson's sockets use by default.
func (r *Runner) port() int {
	if r.opts.Session.Port > 0 {
		return r.opts.Session.Port
	}
	return lessons.DefaultPort
}

// keepValues adds what a measurement offers to the prose to the values of
// the step that is running.
func (r *Runner) keepValues(m lessons.Measurement) {
	if len(m.Values) == 0 {
		return
	}
	if r.values == nil {
		r.values = map[string]string{}
	}
	maps.Copy(r.values, m.Values)
}

// ValueNames returns the names a text refers to as {{name}}, in order.
func ValueNames(md string) []string {
	var out []string
	for _, m := range valueRef.FindAllStringSubmatch(md, -1) {
		out = append(out, m[1])
	}
	return out
}
