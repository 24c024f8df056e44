package verify

import (
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner/escape"
)

// The JUnit XML that CI runners read (GitHub Actions reporters, GitLab's
// artifacts:reports:junit): one <testsuite> per run, one <testcase> per
// check or, with --batch, per submission, named after it. A failed case
// holds a <failure> whose message is the first difference and whose text
// is the differences, the hints and the end of the program's error output.
// Everything the program produced is escaped (escape.String) before it is
// written, so no control character (which XML 1.0 forbids) gets in.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
	SystemErr *junitText    `xml:"system-err,omitempty"`
}

// junitText is element text written as CDATA, so that the lines of a
// report stay lines in the file (encoding/xml splits any "]]>").
type junitText struct {
	Text string `xml:",cdata"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

func seconds(ms int64) string { return fmt.Sprintf("%.3f", float64(ms)/1000) }

// writeJUnit writes --junit FILE, atomically like the other exports.
func writeJUnit(a cmdArgs, cat *content.Catalog, rows []row) error {
	b, err := junitXML(cat, a.exercise, a.batchDir == "", rows)
	if err != nil {
		return err
	}
	return writeAtomic(a.junit, b)
}

// junitXML renders rows (one per check or submission) as JUnit XML. A
// single check's case is named after the exercise (its command is the
// row's name, kept as the class name's last part would be unreadable); a
// batch's cases are named after the submissions.
func junitXML(cat *content.Catalog, exercise string, single bool, rows []row) ([]byte, error) {
	s := junitSuite{Name: "sockstep verify " + exercise, Tests: len(rows)}
	var total int64
	for _, r := range rows {
		c := junitCase{Name: escape.String(r.Submission), Classname: "sockstep.verify." + exercise, Time: seconds(r.DurationMS)}
		if single {
			c.Name = exercise
		}
		total += r.DurationMS
		f := &junitFailure{Message: r.FirstDifference, Type: r.Status, Text: failureText(cat, r)}
		switch r.Status {
		case statusPass:
		case statusFail:
			s.Failures++
			c.Failure = f
		default:
			s.Errors++
			c.Error = f
		}
		if len(r.StderrTail) > 0 {
			c.SystemErr = &junitText{escapeLines(r.StderrTail)}
		}
		s.Cases = append(s.Cases, c)
	}
	s.Time = seconds(total)
	out := junitSuites{Name: "sockstep", Tests: s.Tests, Failures: s.Failures, Errors: s.Errors, Time: s.Time, Suites: []junitSuite{s}}
	b, err := xml.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}

// failureText is the body of a <failure>: the first difference, the hints, what verify saw, and the end of the error output.
func failureText(cat *content.Catalog, r row) string {
	var b strings.Builder
	if r.FirstDifference != "" {
		b.WriteString(r.FirstDifference + "\n\n")
	}
	if len(r.BuildOutput) > 0 {
		b.WriteString(cat.T("verify.batch.build_output") + "\n")
		for _, l := range r.BuildOutput {
			b.WriteString("  " + l + "\n")
		}
		b.WriteString("\n")
	}
	for _, h := range r.HintText {
		b.WriteString(titled(cat.T("verify.hint.title"), h) + "\n")
	}
	if len(r.Observed) > 0 {
		b.WriteString("\n" + cat.T("verify.seen.title") + "\n")
		for _, l := range r.Observed {
			b.WriteString("  " + l + "\n")
		}
	}
	if len(r.StderrTail) > 0 {
		b.WriteString("\n" + cat.T("verify.stderr.title") + "\n")
		b.WriteString(escapeLines(r.StderrTail))
	}
	return b.String()
}

func escapeLines(ls []string) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString("  " + escape.String(l) + "\n")
	}
	return b.String()
}
