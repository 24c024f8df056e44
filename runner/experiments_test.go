package runner

import (
	"bytes"
	"context"
	"github.com/sockstep/sockstep/lessons"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/internal/sockettest"
)

// experimentEndToEnd runs an experiment lesson in both languages without a
// terminal, as CI and --auto do, and checks the measured facts it prints.
// Each experiment's own test file calls it with its patterns.
func experimentEndToEnd(t *testing.T, id string, pats []factsPattern) {
	t.Helper()
	if len(pats) == 0 {
		t.Fatalf("no facts are checked for experiment %s", id)
	}
	for _, lang := range content.Langs {
		t.Run(string(lang), func(t *testing.T) {
			l := lesson(t, lang, id)
			if l.Kind != content.KindExperiment {
				t.Fatalf("%s is a %s, not an experiment", id, l.Kind)
			}
			before, goroutines := len(sockettest.Sockets(t)), runtime.NumGoroutine()
			out, err := plainRun(t, lang, id)
			if err != nil {
				t.Fatalf("experiment failed: %v\n%s", err, tail(out, 3000))
			}
			if !strings.Contains(out, content.Text(lang).T("lesson.done", l.Title)) {
				t.Errorf("the experiment did not reach its end")
			}
			if strings.Contains(out, "«") {
				t.Errorf("a message key is missing from the %s catalog:\n%s", lang, tail(out, 3000))
			}
			for _, p := range pats {
				if lang != content.English && p.label {
					continue
				}
				if !regexp.MustCompile(p.re).MatchString(out) {
					t.Errorf("%s: no match for %s in the output:\n%s", p.what, p.re, tail(out, 3000))
				}
			}
			if after := len(sockettest.Sockets(t)); after != before {
				t.Errorf("open sockets: %d before, %d after", before, after)
			}
			if after := goroutinesAfter(goroutines); after > goroutines {
				t.Errorf("goroutines: %d before, %d after the experiment", goroutines, after)
			}
		})
	}
}

// Every experiment lesson is checked end to end by some test: a new one
// without a test fails here.
func TestEveryExperimentIsChecked(t *testing.T) {
	ls, err := content.Builtin(content.English, content.KindExperiment)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		found := false
		for _, name := range testNames(t) {
			if name == "TestExperiment_"+strings.ReplaceAll(l.ID, "-", "_") {
				found = true
			}
		}
		if !found {
			t.Errorf("experiment %s has no TestExperiment_%s calling experimentEndToEnd", l.ID, strings.ReplaceAll(l.ID, "-", "_"))
		}
	}
}

// testNames lists the Test functions declared in this package's test files.
func testNames(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^func (Test\w+)\(t \*testing\.T\)`)
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			out = append(out, m[1])
		}
	}
	return out
}

// The experiment vocabulary from Markdown alone: a prediction printed
// with its answers (no prompt), the states of both ends drawn from the
// kernel, the explanation below <!-- after --> shown after the results.
func TestPredictStatesAfter(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "lessons", "predict.md"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := content.Parse("predict.md", data)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	r, err := New(Options{Lang: content.English, Out: &out, Width: 80,
		Session: lessons.Config{Port: sockettest.FreePort(t)}, StepWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Run(context.Background(), l); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"what do you think will happen?",
		"1. connect is refused",
		"2. the handshake completes",
		"What the lesson expected: the handshake completes",
		"c (you)\n      CLOSED → SYN_SENT → [ESTABLISHED] → …",
		// The client closed first; the server has not closed yet, so
		// the client waits in FIN_WAIT2 for the server's FIN.
		"c (you)\n      CLOSED → SYN_SENT → ESTABLISHED → FIN_WAIT1 → [FIN_WAIT2] →",
		"conn (sockstep)\n      CLOSED → SYN_RECV → ESTABLISHED → [CLOSE_WAIT] → (LAST_ACK) → (CLOSED)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// The explanation comes after the states, not before the call.
	after, states := strings.Index(got, "AFTER-TEXT-MARKER"), strings.Index(got, "TCP states, read from the kernel")
	if after < 0 || states < 0 || after < states {
		t.Errorf("after-text at %d, states at %d: the explanation must follow the results\n%s", after, states, got)
	}
}
