package verify

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner/escape"
)

// maxDiffs is how many differences a report lists; the first few say it
// all, and a flood of them hides the hint.
const maxDiffs = 8

// stderrLines is how many of the last lines of a failed program's error
// output are shown: enough for a Python traceback's point.
const stderrLines = 12

// maxLine bounds each shown line of error output, in columns.
const maxLine = 200

// writeReport prints the outcome of one check for a learner, wrapped to
// the terminal's width when it goes to one.
func writeReport(w io.Writer, cat *content.Catalog, st style, r *Result) {
	var b bytes.Buffer
	writeReportLines(&b, cat, st, r)
	_, _ = io.WriteString(w, st.fit(b.String()))
}

func writeReportLines(w io.Writer, cat *content.Catalog, st style, r *Result) {
	name := r.Exercise
	if l, err := content.FindExercise(cat.Lang(), r.Exercise); err == nil && l != nil {
		name = cat.T("verify.exercise_name", r.Exercise, l.Title)
	}
	if r.Passed {
		fmt.Fprintln(w, st.good("✓ "+cat.T("verify.pass", name, r.Elapsed.Seconds())))
		if note := ignoredNote(cat, r); note != "" {
			fmt.Fprintln(w, st.dim(note))
		}
		return
	}
	fmt.Fprintln(w, st.bad("✗ "+cat.T("verify.fail", name)))
	o := r.Obs
	if o.StartErr == nil {
		fmt.Fprintln(w, st.dim(cat.T("verify.ran", quoteArgs(r.Command), o.Host, o.Port)))
	}
	if len(r.Diffs) > 0 {
		fmt.Fprintln(w)
		writeDiffs(w, cat, st, r)
	}
	if note := ignoredNote(cat, r); note != "" {
		fmt.Fprintln(w)
		fmt.Fprintln(w, st.dim(note))
	}
	if len(r.Hints) > 0 {
		fmt.Fprintln(w)
		for _, h := range r.Hints {
			fmt.Fprintln(w, titledStyled(cat.T("verify.hint.title"), st.note, showHint(cat, h)))
		}
	}
	if seen := observed(cat, o); len(seen) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, st.bold(cat.T("verify.seen.title")))
		for _, l := range seen {
			fmt.Fprintln(w, "  "+st.dim(l))
		}
	}
	if tail := stderrTail(o); len(tail) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, st.bold(cat.T("verify.stderr.title")))
		for _, l := range tail {
			fmt.Fprintln(w, "  "+st.dim(truncate(escape.String(l), maxLine)))
		}
	}
	if o.StdoutTruncated {
		fmt.Fprintln(w, st.dim(cat.T("verify.stdout.truncated")))
	}
}

// writeDiffs lists the differences: the first maxDiffs, and how many more.
func writeDiffs(w io.Writer, cat *content.Catalog, st style, r *Result) {
	fmt.Fprintln(w, st.bold(cat.T("verify.diff.title")))
	for i, d := range r.Diffs {
		if i == maxDiffs {
			break
		}
		fmt.Fprintln(w, "  • "+showLabel(cat, d))
		if extraLine(d) {
			// An extra line has nothing to be compared with: it is
			// named, and shown unless it is empty.
			if s, ok := d.Got.(string); ok && d.Label == "verify.label.datagram" {
				fmt.Fprintln(w, "      "+st.bad(titled(cat.T("verify.diff.got"), showValue(cat, s))))
			} else if ok && s != "" {
				fmt.Fprintln(w, "      "+st.bad(titled(cat.T("verify.diff.got"), showLine(cat, s))))
			}
			continue
		}
		fmt.Fprintln(w, "      "+st.good(titled(cat.T("verify.diff.want"), showValue(cat, d.Want))))
		fmt.Fprintln(w, "      "+st.bad(titled(cat.T("verify.diff.got"), showGot(cat, d, r))))
	}
	if n := max(r.DiffCount, len(r.Diffs)); n > min(len(r.Diffs), maxDiffs) {
		fmt.Fprintln(w, "  "+cat.T("verify.diff.more", n-min(len(r.Diffs), maxDiffs)))
	}
}

// titled puts a title such as "expected:" before a value: a space after
// an ASCII colon, none after a full-width one (Chinese typography).
func titled(title, value string) string {
	return titledStyled(title, func(s string) string { return s }, value)
}

func titledStyled(title string, style func(string) string, value string) string {
	if strings.HasSuffix(title, "：") {
		return style(title) + value
	}
	return style(title) + " " + value
}

// maxIgnored bounds the ignored output quoted in a report, in columns.
const maxIgnored = 120

// ignoredNote says what a program printed before its reply, which the
// contract ignores, so that a learner who printed a prompt or a greeting
// knows verify saw it and why it did not count.
func ignoredNote(cat *content.Catalog, r *Result) string {
	ex := registry[r.Exercise]
	if ex == nil || !ex.replyLast || r.Obs == nil {
		return ""
	}
	_, ignored := replyLines(r.Obs.Stdout, r.Obs.StdoutBeforeReply)
	ignored = strings.TrimRight(ignored, "\n")
	if strings.TrimSpace(ignored) == "" {
		return ""
	}
	return cat.T("verify.ignored", truncate(showLine(cat, ignored), maxIgnored))
}

// maxSeen bounds the connections listed under "what verify saw".
const maxSeen = 6

// observed says in a few lines what verify saw happen, with times: the
// bytes and the close of each connection, the datagrams, how long the
// program ran. The differences say what was wrong; these say when.
func observed(cat *content.Catalog, o *Observation) []string {
	var out []string
	if n := len(o.Datagrams); n > 0 {
		out = append(out, cat.T("verify.seen.datagrams", n))
	}
	for i, c := range o.Conns {
		if i == maxSeen {
			break
		}
		switch {
		case c.Refused:
			out = append(out, cat.T("verify.seen.conn_refused", i+1))
		case c.Closed:
			out = append(out, cat.T("verify.seen.conn_closed", i+1, len(c.Received), ms(c.ClosedAfter)))
		default:
			out = append(out, cat.T("verify.seen.conn_open", i+1, len(c.Received)))
		}
	}
	if o.StartErr == nil && o.Exit.Runtime > 0 {
		key := "verify.seen.exited"
		if o.Exit.Stopped {
			key = "verify.seen.stopped"
		}
		out = append(out, cat.T(key, o.Exit.Runtime.Seconds()))
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// stderrTail is the last lines of the program's error output, tabs
// expanded (a Go panic's trace is indented with them), not yet escaped.
func stderrTail(o *Observation) []string {
	ls := lastLines(o.Stderr, o.StderrTail, stderrLines)
	for i, l := range ls {
		ls[i] = strings.ReplaceAll(l, "\t", "    ")
	}
	return ls
}

// lastLines returns the last n lines of a stream, from its tail when the
// start was all that could be kept.
func lastLines(head, tail []byte, n int) []string {
	b := head
	if len(tail) > 0 {
		b = tail
	}
	b = bytes.TrimRight(b, "\n")
	if len(b) == 0 {
		return nil
	}
	ls := strings.Split(string(b), "\n")
	if len(ls) > n {
		ls = ls[len(ls)-n:]
	}
	return ls
}

// firstDifference is a one-line summary of why a check failed, for tables.
func firstDifference(cat *content.Catalog, r *Result) string {
	if r.Passed {
		return ""
	}
	if len(r.Diffs) == 0 {
		if len(r.Hints) > 0 {
			return showHint(cat, r.Hints[0])
		}
		return ""
	}
	d := r.Diffs[0]
	if extraLine(d) {
		g, _ := d.Got.(string)
		switch {
		case d.Label == "verify.label.datagram":
			return showLabel(cat, d) + ": " + showValue(cat, g)
		case g != "":
			return showLabel(cat, d) + ": " + showLine(cat, g)
		}
		return showLabel(cat, d)
	}
	return cat.T("verify.diff.short", showLabel(cat, d), showValue(cat, d.Want), showGot(cat, d, r))
}

// quoteArgs shows a command line as it could be typed again: arguments
// with spaces or quotes are quoted, and everything is escaped.
func quoteArgs(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		if a == "" || strings.ContainsAny(a, " \t\"'\\$`|&;<>()*?") {
			a = strconv.Quote(a)
		}
		out[i] = escape.String(a)
	}
	return strings.Join(out, " ")
}
