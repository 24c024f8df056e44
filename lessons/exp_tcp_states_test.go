//go:build !windows

package lessons_test

import (
	"context"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
	"golang.org/x/sys/unix"
)

// The tcp-states lesson, run step by step without a terminal, in both
// languages: the states each socket passed through are the kernel's, in
// the order of the TCP state machine; the listener queues a connection
// before accept; the restart fails with EADDRINUSE and succeeds with
// SO_REUSEADDR; a full accept queue holds backlog+1 and leaves later
// clients in SYN_SENT. Not parallel: it counts the process's sockets.
func TestTCPStatesLesson(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("TCP states are read from TCP_INFO and /proc on Linux")
	}
	for _, lang := range content.Langs {
		t.Run(string(lang), func(t *testing.T) {
			before := sockettest.Sockets(t)
			l := builtinLesson(t, lang, "tcp-states")
			ui := &fakeUI{}
			s := lessons.NewSession(lessons.Config{Port: sockettest.FreePort(t), WaitLimit: 5e9}, ui)
			defer s.Close()
			for _, st := range l.Steps {
				if err := s.RunStep(context.Background(), st.Directives); err != nil {
					t.Fatalf("step %q: %v", st.Title, err)
				}
			}
			checkStates(t, s, ui)
			checkRestart(t, ui)
			checkQueues(t, ui)
			if n := s.OpenFDs(); n != 0 {
				t.Errorf("%d descriptors still open at the end of the lesson", n)
			}
			if after := sockettest.Sockets(t); !slices.Equal(before, after) {
				t.Errorf("sockets open before the lesson %v, after %v", before, after)
			}
		})
	}
}

// The paths of the TCP state machine each role can take: a socket's
// observed states must all lie on its path, in this order (states that
// last microseconds on loopback may be missing, none may be added).
var (
	listenerPath      = []string{"CLOSED", "LISTEN", "CLOSED"}
	closesFirstClient = []string{"CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSED"}
	closesLastClient  = []string{"CLOSED", "SYN_SENT", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"}
	closesFirstServer = []string{"CLOSED", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSED"}
	closesLastServer  = []string{"CLOSED", "SYN_RECV", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"}
)

func checkStates(t *testing.T, s *lessons.Session, ui *fakeUI) {
	t.Helper()
	seen := observed(s)
	// The last drawing of each socket ends with its state when drawn,
	// CLOSED included once the kernel has forgotten it.
	drawn := map[string][]string{}
	for _, m := range ui.measures {
		for _, tr := range m.Tracks {
			drawn[tr.Socket] = tr.Seen
		}
	}
	tests := []struct {
		socket string
		want   []string // must be seen, in this order
		path   []string
	}{
		{"srv", []string{"LISTEN"}, listenerPath},
		// The client sends the first FIN (shutdown): TIME_WAIT is its.
		{"c", []string{"ESTABLISHED", "FIN_WAIT2", "TIME_WAIT"}, closesFirstClient},
		{"conn", []string{"ESTABLISHED", "CLOSE_WAIT"}, closesLastServer},
		// Second round: the server hangs up first and keeps TIME_WAIT.
		{"conn2", []string{"ESTABLISHED", "FIN_WAIT2", "TIME_WAIT"}, closesFirstServer},
		{"c2", []string{"ESTABLISHED", "CLOSE_WAIT"}, closesLastClient},
	}
	for _, tt := range tests {
		got := seen[tt.socket]
		if !isSubsequence(tt.want, got) || !isSubsequence(got, tt.path) {
			t.Errorf("%s: the kernel showed %v; want %v among them, all on the path %v", tt.socket, got, tt.want, tt.path)
		}
	}
	for name, want := range map[string][]string{
		"srv":   {"CLOSED", "LISTEN"},
		"c":     {"CLOSED", "ESTABLISHED", "FIN_WAIT2", "TIME_WAIT"},
		"conn":  {"CLOSED", "ESTABLISHED", "CLOSE_WAIT", "CLOSED"},
		"conn2": {"CLOSED", "ESTABLISHED", "TIME_WAIT"},
	} {
		if !isSubsequence(want, drawn[name]) {
			t.Errorf("%s was last drawn as %v; want %v in that order", name, drawn[name], want)
		}
	}
	// TIME_WAIT outlives the descriptor: read from /proc after close.
	for _, name := range []string{"c", "conn2"} {
		f := s.Inspect(name)
		if len(f) != 1 || !f[0].Closed || f[0].State != "TIME_WAIT" {
			t.Errorf("%s at the end: %+v; want closed, and TIME_WAIT in the kernel's table", name, f)
		}
	}
}

// observed is every state the session read from the kernel for each
// socket, in order, from the timeline.
func observed(s *lessons.Session) map[string][]string {
	out := map[string][]string{}
	for _, e := range s.Timeline() {
		if e.Kind != lessons.EventState {
			continue
		}
		if len(out[e.Socket]) == 0 && e.From != "" {
			out[e.Socket] = append(out[e.Socket], e.From)
		}
		out[e.Socket] = append(out[e.Socket], e.To)
	}
	return out
}

// checkRestart: the restart without SO_REUSEADDR fails as the lesson
// expects; with it, bind and listen succeed.
func checkRestart(t *testing.T, ui *fakeUI) {
	t.Helper()
	if c := ui.lastCall(t, "web2", "bind"); lessons.ErrnoOf(c.Err) != unix.EADDRINUSE || !c.Expected {
		t.Errorf("restart without SO_REUSEADDR: %+v; want the expected EADDRINUSE", c)
	}
	var fns []string
	for _, c := range ui.callsOf("web3") {
		fn, _, _ := strings.Cut(c.Text, "(")
		fns = append(fns, fn)
		if c.Err != nil {
			t.Errorf("restart with SO_REUSEADDR: %s failed: %v", c.Text, c.Err)
		}
	}
	if want := []string{"socket", "setsockopt", "bind", "listen", "close"}; !slices.Equal(fns, want) {
		t.Errorf("restart with SO_REUSEADDR made the calls %v, want %v", fns, want)
	}
}

// checkQueues: before accept, the listener's queue held the connection;
// the full accept queue held backlog+1, and the clients after them stayed
// in SYN_SENT.
func checkQueues(t *testing.T, ui *fakeUI) {
	t.Helper()
	queued := false
	for _, fs := range ui.facts {
		for _, f := range fs {
			if f.Name == "srv" && f.AcceptQ == 1 {
				queued = true
			}
		}
	}
	if !queued {
		t.Errorf("srv's accept queue never showed the connection waiting for accept")
	}
	var states []string
	full := false
	for _, m := range ui.measures {
		for _, r := range m.Rows {
			switch r.Key {
			case "exp.backlog.client":
				states = append(states, r.Args[1].(string))
			case "exp.backlog.queue":
				full = r.Args[0].(int) == r.Args[1].(int)+1
				if !full {
					t.Errorf("accept queue %v with backlog %v; want backlog+1", r.Args[0], r.Args[1])
				}
			}
		}
	}
	if !full {
		t.Errorf("the accept queue was never measured")
	}
	if !slices.Equal(states, []string{"ESTABLISHED", "ESTABLISHED", "SYN_SENT", "SYN_SENT"}) {
		t.Errorf("clients of a full backlog (1): %v; want 2 ESTABLISHED, then 2 in SYN_SENT", states)
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
