package lessons_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
)

// note is one UI.Note as the fake front end saw it.
type note struct {
	Key  string
	Args []any
}

// fakeUI records everything a session reports. Ask answers from script
// (by question key, in order), then who for a "peer.who.*" question, then
// the question's default.
type fakeUI struct {
	mu    sync.Mutex
	calls []lessons.Call
	facts [][]lessons.Facts
	notes []note
	cmds  []string
	asked []lessons.Question
	// measures are the experiments' results, in order.
	measures []lessons.Measurement
	script   map[string][]string
	who      string
	onCall   func(lessons.Call)
}

var _ lessons.UI = (*fakeUI)(nil)

func (u *fakeUI) Call(c lessons.Call) {
	u.mu.Lock()
	u.calls = append(u.calls, c)
	f := u.onCall
	u.mu.Unlock()
	if f != nil {
		f(c)
	}
}

func (u *fakeUI) Facts(f []lessons.Facts) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.facts = append(u.facts, f)
}

func (u *fakeUI) Note(key string, args ...any) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.notes = append(u.notes, note{key, args})
}

func (u *fakeUI) Measure(m lessons.Measurement) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.measures = append(u.measures, m)
}

func (u *fakeUI) Command(cmd string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.cmds = append(u.cmds, cmd)
}

func (u *fakeUI) Ask(ctx context.Context, q lessons.Question) (string, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.asked = append(u.asked, q)
	if a := u.script[q.Key]; len(a) > 0 {
		u.script[q.Key] = a[1:]
		return a[0], nil
	}
	if u.who != "" && strings.HasPrefix(q.Key, "peer.who.") {
		return u.who, nil
	}
	return q.Default, nil
}

// callsOf returns the calls made on one socket, in order.
func (u *fakeUI) callsOf(name string) []lessons.Call {
	u.mu.Lock()
	defer u.mu.Unlock()
	var out []lessons.Call
	for _, c := range u.calls {
		if c.Socket == name {
			out = append(out, c)
		}
	}
	return out
}

// lastCall returns the last call of function fn ("recv", "bind"...) on a
// socket, failing the test when there is none.
func (u *fakeUI) lastCall(t *testing.T, name, fn string) lessons.Call {
	t.Helper()
	cs := u.callsOf(name)
	for i := len(cs) - 1; i >= 0; i-- {
		if strings.HasPrefix(cs[i].Text, fn+"(") {
			return cs[i]
		}
	}
	t.Fatalf("no %s call on socket %q; calls: %v", fn, name, cs)
	return lessons.Call{}
}

// hasCall reports whether any call of function fn was made on a socket.
func (u *fakeUI) hasCall(name, fn string) bool {
	for _, c := range u.callsOf(name) {
		if strings.HasPrefix(c.Text, fn+"(") {
			return true
		}
	}
	return false
}

// notesWith returns the notes with a key starting with prefix.
func (u *fakeUI) notesWith(prefix string) []note {
	u.mu.Lock()
	defer u.mu.Unlock()
	var out []note
	for _, n := range u.notes {
		if strings.HasPrefix(n.Key, prefix) {
			out = append(out, n)
		}
	}
	return out
}

// lastFacts returns the facts of the named socket from the last Facts
// report that had it.
func (u *fakeUI) lastFacts(t *testing.T, name string) lessons.Facts {
	t.Helper()
	u.mu.Lock()
	defer u.mu.Unlock()
	for i := len(u.facts) - 1; i >= 0; i-- {
		for _, f := range u.facts[i] {
			if f.Name == name {
				return f
			}
		}
	}
	t.Fatalf("no facts reported for socket %q", name)
	return lessons.Facts{}
}

// directives parses lines of directive text, as a lesson step would hold
// them, through the real Markdown parser.
func directives(t testing.TB, lines ...string) []content.Directive {
	t.Helper()
	var b strings.Builder
	b.WriteString("---\nid: test\n---\n## step\n")
	for _, l := range lines {
		fmt.Fprintf(&b, "<!-- step: %s -->\n", l)
	}
	l, err := content.Parse("test.md", []byte(b.String()))
	if err != nil {
		t.Fatalf("parsing directives %q: %v", lines, err)
	}
	if len(l.Steps) != 1 || len(l.Steps[0].Directives) != len(lines) {
		t.Fatalf("parsing directives %q gave %+v", lines, l.Steps)
	}
	return l.Steps[0].Directives
}

// directive parses one directive.
func directive(t testing.TB, line string) content.Directive {
	t.Helper()
	return directives(t, line)[0]
}

// newSession starts a session on a free port with a recording UI, and
// closes it when the test ends.
func newSession(t *testing.T, cfg lessons.Config) (*lessons.Session, *fakeUI) {
	t.Helper()
	ui := &fakeUI{script: map[string][]string{}}
	if cfg.Port == 0 {
		cfg.Port = sockettest.FreePort(t)
	}
	s := lessons.NewSession(cfg, ui)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Session.Close: %v", err)
		}
	})
	return s, ui
}

// stepCtx bounds every step of a test, so that a broken test fails rather
// than hangs.
func stepCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// mustStep runs one step and fails the test if it fails.
func mustStep(t *testing.T, s *lessons.Session, lines ...string) {
	t.Helper()
	if err := s.RunStep(stepCtx(t), directives(t, lines...)); err != nil {
		t.Fatalf("step %q: %v", lines, err)
	}
}

// stepErr runs one step and returns its error.
func stepErr(t *testing.T, s *lessons.Session, lines ...string) error {
	t.Helper()
	return s.RunStep(stepCtx(t), directives(t, lines...))
}

// factsOf asks the kernel about one socket now.
func factsOf(t *testing.T, s *lessons.Session, name string) lessons.Facts {
	t.Helper()
	fs := s.Inspect(name)
	if len(fs) != 1 {
		t.Fatalf("Inspect(%q) = %v", name, fs)
	}
	return fs[0]
}

// eventually polls cond until it holds or a generous deadline passes. It is
// for kernel work that completes asynchronously (a packet processed on
// loopback), never for timing.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// withPort replaces {port} in directive lines.
func withPort(port int, lines ...string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.ReplaceAll(l, "{port}", strconv.Itoa(port))
	}
	return out
}

// requireLinux skips tests of kernel facts that only Linux gives.
func requireLinux(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("kernel state and queue lengths are read on Linux only")
	}
}

// tcpSetup is the usual start of a two-party TCP test: a listening server
// srv, a connected client c and the accepted connection conn.
var tcpSetup = [][]string{
	{"socket srv tcp", "bind srv port=0", "listen srv backlog=5"},
	{"socket c tcp", "connect c to=srv"},
	{"accept srv as=conn"},
}

// connected runs tcpSetup.
func connected(t *testing.T, s *lessons.Session) {
	t.Helper()
	for _, st := range tcpSetup {
		mustStep(t, s, st...)
	}
}

// requireForeignAddrFails skips a test that binds 192.0.2.1 (TEST-NET-1,
// owned by no machine) to show EADDRNOTAVAIL, where the system lets any
// address be bound.
func requireForeignAddrFails(t *testing.T) {
	t.Helper()
	if data, err := os.ReadFile("/proc/sys/net/ipv4/ip_nonlocal_bind"); err == nil && strings.TrimSpace(string(data)) != "0" {
		t.Skip("net.ipv4.ip_nonlocal_bind is set: binding 192.0.2.1 succeeds here, so there is no EADDRNOTAVAIL to show")
	}
}

// builtinLesson loads a built-in lesson or fails the test.
func builtinLesson(t *testing.T, lang content.Lang, id string) *content.Lesson {
	t.Helper()
	all, err := content.Builtin(lang, "")
	if err != nil {
		t.Fatalf("lesson %s/%s: %v", lang, id, err)
	}
	for _, l := range all {
		if l.ID == id {
			return l
		}
	}
	t.Fatalf("no lesson %s/%s", lang, id)
	return nil
}
