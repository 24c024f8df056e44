package runner

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/sockstep/sockstep/lessons"
)

func (u ui) Measure(m lessons.Measurement) { u.r.printMeasurement(m) }

var _ lessons.Measurer = ui{}

// printMeasurement shows an experiment's numbers: its lines, then the bar
// chart and the state diagrams, if any.
func (r *Runner) printMeasurement(m lessons.Measurement) {
	r.keepValues(m)
	if m.Title != "" {
		r.printf("  %s\n", r.paint(colorHead, r.cat.T(m.Title)))
	}
	for _, row := range m.Rows {
		r.printf("    %s\n", r.cat.T(row.Key, row.Args...))
	}
	if len(m.Bars) > 0 {
		r.printf("%s", r.bars(m.Bars))
	}
	if len(m.Tracks) > 0 {
		for _, t := range m.Tracks {
			r.printf("%s", r.stateTrack(t))
		}
		if !r.opts.Compact {
			r.printf("    %s\n", r.paint(colorDim, r.cat.T("states.legend")))
		}
	}
}

// bars draws a horizontal bar chart scaled to the largest value and to the
// width, one bar per line:
//
//	TCP  ██████████████████████  2,345.6 MB/s
//	UDP  ███████                   712.0 MB/s
func (r *Runner) bars(bs []lessons.Bar) string {
	labels := make([]string, len(bs))
	values := make([]string, len(bs))
	lw, vw := 0, 0
	maxV := 0.0
	for i, b := range bs {
		labels[i] = r.cat.T(b.Key, b.Args...)
		unit := b.Unit
		if r.cat.Has(unit) { // a word to translate; "B", "MB/s" are not
			unit = r.cat.T(unit)
		}
		values[i] = formatNumber(b.Value) + " " + unit
		lw = max(lw, ansi.StringWidth(labels[i]))
		vw = max(vw, ansi.StringWidth(values[i]))
		maxV = math.Max(maxV, b.Value)
	}
	room := r.opts.Width - 4 - lw - 2 - 2 - vw
	if room < 10 {
		room = 10
	}
	block := "█"
	if r.opts.Style == "ascii" {
		block = "#"
	}
	var b strings.Builder
	for i, bar := range bs {
		n := 0
		if maxV > 0 {
			n = int(math.Round(bar.Value / maxV * float64(room)))
		}
		if n == 0 && bar.Value > 0 {
			n = 1
		}
		pad := strings.Repeat(" ", lw-ansi.StringWidth(labels[i]))
		gap := strings.Repeat(" ", room-n+vw-ansi.StringWidth(values[i]))
		fmt.Fprintf(&b, "    %s%s  %s%s  %s\n", labels[i], pad, r.paint(colorOK, strings.Repeat(block, n)), gap, values[i])
	}
	return b.String()
}

// formatNumber writes a measured value with thousands separators and at
// most one decimal, so that columns of numbers read at a glance.
func formatNumber(v float64) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		s = strconv.FormatFloat(v, 'f', 0, 64)
	}
	whole, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	var g []string
	for len(whole) > 3 {
		g = append([]string{whole[len(whole)-3:]}, g...)
		whole = whole[:len(whole)-3]
	}
	g = append([]string{whole}, g...)
	out := strings.Join(g, ",")
	if neg {
		out = "-" + out
	}
	if frac != "" {
		out += "." + frac
	}
	return out
}

// statePath is the states a socket in its role normally passes through,
// with the ones the kernel showed: the opening depends on how the socket
// got its connection, the closing on which side closed first.
func statePath(t lessons.StateTrack) []string {
	seen := func(states ...string) bool {
		for _, s := range states {
			if slices.Contains(t.Seen, s) {
				return true
			}
		}
		return false
	}
	path := []string{"CLOSED"}
	switch {
	case seen("LISTEN"):
		return append(path, "LISTEN", "CLOSED")
	case seen("SYN_RECV") || t.Side == lessons.Server:
		path = append(path, "SYN_RECV")
	default:
		path = append(path, "SYN_SENT")
	}
	path = append(path, "ESTABLISHED")
	switch {
	case seen("CLOSE_WAIT", "LAST_ACK"):
		path = append(path, "CLOSE_WAIT", "LAST_ACK")
	case seen("CLOSING"):
		path = append(path, "FIN_WAIT1", "CLOSING", "TIME_WAIT")
	case seen("FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT"):
		path = append(path, "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT")
	default:
		return append(path, "…")
	}
	return append(path, "CLOSED")
}

// stateTrack draws one socket's way through the TCP state machine: states
// it has passed, [the one it is in now], and (the ones still ahead).
func (r *Runner) stateTrack(t lessons.StateTrack) string {
	path := statePath(t)
	now := t.Seen[len(t.Seen)-1]
	cur := -1
	// The current state is the last match at or after every state seen
	// before it: CLOSED appears both first and last on the path.
	from := 0
	for _, s := range t.Seen {
		for i := from; i < len(path); i++ {
			if path[i] == s {
				from = i
				if s == now {
					cur = i
				}
				break
			}
		}
	}
	if len(t.Seen) > 1 && now == "CLOSED" {
		cur = len(path) - 1
	}
	parts := make([]string, len(path))
	for i, s := range path {
		switch {
		case s == "…":
			parts[i] = r.paint(colorDim, s)
		case i == cur:
			parts[i] = r.paint(colorState, "["+s+"]")
		case i < cur:
			parts[i] = s
		default:
			parts[i] = r.paint(colorDim, "("+s+")")
		}
	}
	head := fmt.Sprintf("%s (%s)", t.Socket, r.who(t.Peer))
	return fmt.Sprintf("    %s\n      %s\n", r.paint(colorHead, head), strings.Join(parts, " → "))
}
