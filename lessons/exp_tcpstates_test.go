package lessons_test

import (
	"context"
	"runtime"
	"slices"
	"testing"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
)

// The tcp-states lesson, run step by step without a terminal: the states
// each socket passed through are the kernel's, in the order of the TCP
// state machine, and the restart shows EADDRINUSE, then success with
// SO_REUSEADDR.
func TestTCPStatesLesson(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("TCP states are read from TCP_INFO and /proc on Linux")
	}
	l, err := content.Find(content.English, "tcp-states")
	if err != nil || l == nil {
		t.Fatalf("tcp-states: %v", err)
	}
	ui := &fakeUI{}
	s := lessons.NewSession(lessons.Config{Port: freePort(t), WaitLimit: 5e9}, ui)
	defer s.Close()
	for _, st := range l.Steps {
		if err := s.RunStep(context.Background(), st.Directives); err != nil {
			t.Fatalf("step %q: %v", st.Title, err)
		}
	}
	// The last drawing of each socket's path.
	last := map[string][]string{}
	for _, m := range ui.measures {
		for _, tr := range m.Tracks {
			last[tr.Socket] = tr.Seen
		}
	}
	for name, want := range map[string][]string{
		"srv":  {"CLOSED", "LISTEN"},
		"c":    {"ESTABLISHED", "FIN_WAIT2", "TIME_WAIT"},
		"conn": {"ESTABLISHED", "CLOSE_WAIT", "CLOSED"},
	} {
		if !isSubsequence(want, last[name]) {
			t.Errorf("%s went through %v; want %v in that order", name, last[name], want)
		}
	}
	var bindErrs, binds int
	for _, c := range ui.calls {
		if len(c.Text) > 4 && c.Text[:4] == "bind" {
			binds++
			if lessons.ErrnoName(lessons.ErrnoOf(c.Err)) == "EADDRINUSE" && c.Expected {
				bindErrs++
			}
		}
	}
	if bindErrs != 1 {
		t.Errorf("%d binds failed with the expected EADDRINUSE, want exactly 1 (the restart without SO_REUSEADDR)", bindErrs)
	}
	var rows []string
	for _, m := range ui.measures {
		for _, r := range m.Rows {
			if r.Key == "exp.backlog.client" {
				rows = append(rows, r.Args[1].(string))
			}
		}
	}
	if !slices.Equal(rows, []string{"ESTABLISHED", "ESTABLISHED", "SYN_SENT", "SYN_SENT"}) {
		t.Errorf("clients of a full backlog: %v", rows)
	}
	if n := s.OpenFDs(); n != 0 {
		t.Errorf("%d descriptors still open at the end", n)
	}
}

// isSubsequence reports whether want appears in got in order.
func isSubsequence(want, got []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}
