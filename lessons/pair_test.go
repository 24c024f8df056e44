package lessons_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
)

// Two terminals, in one test process: the two lessons of a pair run as
// two Sessions (--role server and --role client) on real loopback
// sockets, each step released by the test as a learner pressing Enter
// would, in both orders of starting. Every step that shows an effect of
// the other side must wait for it (the schedule starts such a step and
// goes on with the other side until it is done), the two scripts must
// describe one conversation, and each step's facts must be what its
// text (the paired version) says.

// stepRecord is what one step showed.
type stepRecord struct {
	calls []lessons.Call
	facts []lessons.Facts
	notes []string
	err   error
}

// pairUI records what a session shows, step by step.
type pairUI struct {
	mu  sync.Mutex
	cur *stepRecord
}

func (u *pairUI) Call(c lessons.Call) {
	u.mu.Lock()
	u.cur.calls = append(u.cur.calls, c)
	u.mu.Unlock()
}
func (u *pairUI) Facts(fs []lessons.Facts) {
	u.mu.Lock()
	u.cur.facts = append(u.cur.facts, fs...)
	u.mu.Unlock()
}
func (u *pairUI) Note(key string, args ...any) {
	u.mu.Lock()
	u.cur.notes = append(u.cur.notes, key)
	u.mu.Unlock()
}
func (u *pairUI) Command(string) {}
func (u *pairUI) Ask(ctx context.Context, q lessons.Question) (string, error) {
	return q.Default, ctx.Err()
}

// party runs one lesson of the pair, one step per permit.
type party struct {
	l     *content.Lesson
	sess  *lessons.Session
	ui    *pairUI
	recs  []*stepRecord
	next  int
	done  map[int]chan struct{}
	label string
}

func newParty(t *testing.T, lang content.Lang, id, role string, port int) *party {
	l := builtinLesson(t, lang, id).ForRole(true)
	ui := &pairUI{}
	s := lessons.NewSession(lessons.Config{Role: role, Port: port, WaitLimit: 20 * time.Second, PairCommands: []string{"sockstep run other"}}, ui)
	t.Cleanup(func() { s.Close() })
	return &party{l: l, sess: s, ui: ui, done: map[int]chan struct{}{}, label: id}
}

// start runs the party's next step in the background.
func (p *party) start(ctx context.Context) int {
	i := p.next
	p.next++
	rec := &stepRecord{}
	p.recs = append(p.recs, rec)
	ch := make(chan struct{})
	p.done[i] = ch
	go func() {
		defer close(ch)
		p.ui.mu.Lock()
		p.ui.cur = rec
		p.ui.mu.Unlock()
		rec.err = p.sess.RunStep(ctx, p.l.Steps[i].Directives)
	}()
	return i
}

// finish waits for step i (0-based) to end.
func (p *party) finish(t *testing.T, i int) {
	t.Helper()
	select {
	case <-p.done[i]:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s step %d (%s) never ended", p.label, i+1, p.l.Steps[i].Title)
	}
	if err := p.recs[i].err; err != nil {
		t.Fatalf("%s step %d (%s): %v", p.label, i+1, p.l.Steps[i].Title, err)
	}
}

// play follows a schedule: "S3" runs the server's steps up to 3 (each to
// its end), "C2&" starts the client's step 2 and goes on while it waits
// for the other side, "=C2" waits for it to end. "C+" starts a new run of
// the client lesson (the server's next caller).
func play(t *testing.T, ctx context.Context, srv *party, newClient func() *party, schedule string) (clients []*party) {
	t.Helper()
	cli := newClient()
	clients = append(clients, cli)
	for _, item := range strings.Fields(schedule) {
		if item == "C+" {
			cli = newClient()
			clients = append(clients, cli)
			continue
		}
		wait := strings.HasPrefix(item, "=")
		item = strings.TrimPrefix(item, "=")
		async := strings.HasSuffix(item, "&")
		item = strings.TrimSuffix(item, "&")
		p := srv
		if item[0] == 'C' {
			p = cli
		}
		n, err := strconv.Atoi(item[1:])
		if err != nil {
			t.Fatalf("bad schedule item %q", item)
		}
		if wait {
			p.finish(t, n-1)
			continue
		}
		for p.next < n {
			i := p.start(ctx)
			if !(async && i == n-1) {
				p.finish(t, i)
			}
		}
	}
	return clients
}

// step finds a lesson step by the directives it holds (titles differ
// between the languages; the directives do not).
func (p *party) step(t *testing.T, directive string) (int, *stepRecord) {
	t.Helper()
	w := strings.Fields(directive) // ACTION SOCKET [text]
	for i, st := range p.l.Steps {
		for _, d := range st.Directives {
			if d.Action == w[0] && len(d.Pos) > 0 && d.Pos[0] == w[1] && (len(w) < 3 || d.Args["text"] == strings.Join(w[2:], " ")) {
				if i >= len(p.recs) {
					t.Fatalf("%s: step %d (%s) did not run", p.label, i+1, st.Title)
				}
				return i, p.recs[i]
			}
		}
	}
	t.Fatalf("%s: no step with %q", p.label, directive)
	return 0, nil
}

func stepFacts(rec *stepRecord, name string) (lessons.Facts, bool) {
	for i := len(rec.facts) - 1; i >= 0; i-- {
		if rec.facts[i].Name == name {
			return rec.facts[i], true
		}
	}
	return lessons.Facts{}, false
}

// said is the data of a party's calls of one kind on one socket, in
// order; a recv that returned 0 is "EOF".
func said(ps []*party, action, sock string) []string {
	var out []string
	for _, p := range ps {
		for _, rec := range p.recs {
			for _, c := range rec.calls {
				if c.Err != nil || !strings.HasPrefix(c.Text, action+"(") {
					continue
				}
				if k := p.sess.Socket(c.Socket); k == nil || c.Socket != sock {
					continue
				}
				if c.Note == "call.eof" {
					out = append(out, "EOF")
				} else {
					out = append(out, string(c.Data))
				}
			}
		}
	}
	return out
}

// sendText is the text=... of a party's send directives on sock, in
// script order.
func sendText(l *content.Lesson, action, sock string) []string {
	var out []string
	for _, st := range l.Steps {
		for _, d := range st.Directives {
			if d.Action == action && len(d.Pos) > 0 && d.Pos[0] == sock {
				out = append(out, strings.Split(d.Args["text"], "|")...)
			}
		}
	}
	return out
}

func TestTCPPairLinesUp(t *testing.T) {
	// S: tcp-server (18 steps), C: tcp-client (13 steps), run twice: the
	// server serves two callers. In the first two schedules each side
	// runs ahead of the other as far as it can, so every step that shows
	// the other side's effect starts before that side has acted and must
	// wait for it; in the third the two take turns.
	schedules := map[string]string{
		"server first": "S5 S6& C4 =S6 S7 S8& C6 =S8 S10 S11& C9 =S11 S12 C10 S13& C11 =S13 S15 C13 " +
			"C+ S16& C6 =S16 S17& C11 =S17 C13 S18",
		"client first": "C3 C4& S5 =C4 C6 C7& S7 S10 =C7 C9 C10& S12 =C10 C11 C12& S15 =C12 C13 " +
			"C+ C6 S16 C10& S17& =C10 C13 =S17 S18",
		"in turns": "S5 C4 S7 C6 S10 C9 S12 C10 C11 S15 C13 " +
			"C+ C4 S16& C6 =S16 C9 S17& C11 =S17 C13 S18",
	}
	for _, lang := range []content.Lang{content.English, content.Chinese} {
		for name, schedule := range schedules {
			t.Run(string(lang)+"/"+name, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				defer cancel()
				port := sockettest.FreePort(t)
				srv := newParty(t, lang, "tcp-server", lessons.RoleServer, port)
				clients := play(t, ctx, srv, func() *party { return newParty(t, lang, "tcp-client", lessons.RoleClient, port) }, schedule)
				checkTCPPair(t, srv, clients)
			})
		}
	}
}

func checkTCPPair(t *testing.T, srv *party, clients []*party) {
	cli := clients[0]
	if srv.next != len(srv.l.Steps) {
		t.Fatalf("the server ran %d of %d steps", srv.next, len(srv.l.Steps))
	}
	for _, c := range clients {
		if c.next != len(c.l.Steps) {
			t.Fatalf("a client ran %d of %d steps", c.next, len(c.l.Steps))
		}
	}

	// One conversation: what each side's script sends is what the other
	// side's script receives, in the same order, and each hears the
	// other hang up only at the end.
	cliSends := sendText(cli.l, "send", "c")
	srvSends := sendText(srv.l, "send", "conn")
	for _, c := range []struct {
		who       string
		got, want []string
	}{
		{"server's recv on conn (first caller)", said([]*party{srv}, "recv", "conn"), append(cliSends, "EOF")},
		{"server's recv on conn2 (second caller)", said([]*party{srv}, "recv", "conn2"), append(cliSends, "EOF")},
		{"first client's recv on c", said(clients[:1], "recv", "c"), srvSends},
		{"second client's recv on c", said(clients[1:], "recv", "c"), sendText(srv.l, "send", "conn2")},
	} {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s: got %q, want %q", c.who, c.got, c.want)
		}
	}
	for _, r := range srv.recs {
		for _, n := range r.notes {
			if n == "role.hung-up-skip" {
				t.Errorf("the server skipped a call: the scripts do not line up")
			}
		}
	}

	// Every step that shows the other side's effect, against its text.
	type check struct {
		p         *party
		directive string // finds the step
		prose     string // what the step's text says
		sock      string
		ok        func(f lessons.Facts) bool
		want      string
	}
	for _, c := range []check{
		{srv, "connect c1", "**1", "srv", func(f lessons.Facts) bool { return f.AcceptQ == 1 }, "accept queue 1"},
		{srv, "accept srv", "0", "srv", func(f lessons.Facts) bool { return f.AcceptQ == 0 }, "accept queue back to 0"},
		{srv, "send c1 " + cliSends[0], "", "conn", func(f lessons.Facts) bool { return f.RecvQ == len(cliSends[0]) }, "the caller's bytes waiting"},
		{srv, "send c1 " + cliSends[1], "", "conn", func(f lessons.Facts) bool { return f.RecvQ == len(cliSends[1]) }, "the second line waiting"},
		{srv, "close c1", "CLOSE_WAIT", "conn", func(f lessons.Facts) bool { return f.State == "CLOSE_WAIT" }, "CLOSE_WAIT"},
		{srv, "close c1", "FIN_WAIT2", "conn", func(lessons.Facts) bool { return true }, ""},
		{cli, "connect c", "ESTABLISHED", "c", func(f lessons.Facts) bool { return f.State == "ESTABLISHED" }, "ESTABLISHED"},
		{cli, "send sc " + srvSends[0], "", "c", func(f lessons.Facts) bool { return f.RecvQ == len(srvSends[0]) }, "the reply waiting"},
		{cli, "close c", "FIN_WAIT2", "c", func(f lessons.Facts) bool { return f.State == "FIN_WAIT2" }, "FIN_WAIT2"},
		{cli, "close sc", "TIME_WAIT", "c", func(f lessons.Facts) bool { return f.State == "TIME_WAIT" }, "TIME_WAIT"},
	} {
		i, rec := c.p.step(t, c.directive)
		st := c.p.l.Steps[i]
		if c.prose != "" && !strings.Contains(st.Body+st.After, c.prose) {
			t.Errorf("%s step %d (%s): the text does not say %q", c.p.label, i+1, st.Title, c.prose)
		}
		if c.want == "" {
			continue
		}
		f, ok := stepFacts(rec, c.sock)
		if !ok || !c.ok(f) {
			t.Errorf("%s step %d (%s): %s shows %+v, want %s", c.p.label, i+1, st.Title, c.sock, f, c.want)
		}
	}
	// The server's timeline draws the handshake, as the client's does.
	for _, p := range []*party{srv, cli} {
		var pk []string
		for _, e := range p.sess.Timeline() {
			if e.Kind == lessons.EventPacket {
				pk = append(pk, e.Text)
			}
		}
		if !strings.Contains(strings.Join(pk, " "), "SYN SYN-ACK ACK") {
			t.Errorf("%s: the timeline has no handshake: %v", p.label, pk)
		}
	}
	// Neither side names sockstep as the other party in two-terminal
	// mode: the peers are external, played by the other terminal.
	for _, p := range append([]*party{srv}, clients...) {
		for _, k := range p.sess.Sockets() {
			if k.Peer && !k.External {
				t.Errorf("%s: socket %s was opened by sockstep in two-terminal mode", p.label, k.Name)
			}
		}
	}
}

func TestUDPPairLinesUp(t *testing.T) {
	// R: udp-recv (6 steps), T: udp-send (5 steps); each side runs ahead.
	schedules := map[string]string{
		"receiver first": "S3 S4& C3 =S4 S6 C5",
		"sender first":   "C3& S2 =C3 S6 C5",
	}
	for _, lang := range []content.Lang{content.English, content.Chinese} {
		for name, schedule := range schedules {
			t.Run(string(lang)+"/"+name, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				defer cancel()
				port := sockettest.FreePort(t)
				rx := newParty(t, lang, "udp-recv", lessons.RoleServer, port)
				clients := play(t, ctx, rx, func() *party { return newParty(t, lang, "udp-send", lessons.RoleClient, port) }, schedule)
				tx := clients[0]
				first := sendText(tx.l, "sendto", "tx")[0]
				var got []string
				var from netip.AddrPort
				for _, r := range rx.recs {
					for _, c := range r.calls {
						if strings.HasPrefix(c.Text, "recvfrom(") && c.Err == nil {
							got, from = append(got, string(c.Data)), c.From
						}
					}
				}
				if len(got) != 1 || got[0] != first {
					t.Errorf("the receiver got %q, want the sender's first line %q", got, first)
				}
				if k := tx.sess.Socket("tx"); k == nil || from.Port() != k.Local.Port() {
					t.Errorf("the datagram came from %s, not the sender's socket", from)
				}
				i, rec := rx.step(t, "sendto tx")
				if f, ok := stepFacts(rec, "rx"); !ok || f.RecvQ != len(first) {
					t.Errorf("udp-recv step %d: rx shows %+v, want the datagram of %d bytes waiting", i+1, f, len(first))
				}
			})
		}
	}
}

// In two-terminal mode the text never says sockstep plays the other
// party (a server, a caller, a receiver): the other terminal does.
func TestPairedTextNamesTheOtherTerminal(t *testing.T) {
	claims := regexp.MustCompile(`sockstep (starts|runs|closes|plays|can do it|扮演|启动|关闭|会在回环)|sockstep's (server|caller|receiver)|sockstep 的(服务器|套接字|接收方)|sockstep 用它自己`)
	for _, lang := range []content.Lang{content.English, content.Chinese} {
		for _, id := range []string{"tcp-server", "tcp-client", "udp-recv", "udp-send"} {
			alone := builtinLesson(t, lang, id)
			paired := alone.ForRole(true)
			texts := []string{paired.Intro}
			found := claims.MatchString(alone.ForRole(false).Intro)
			for i, st := range paired.Steps {
				texts = append(texts, st.Body, st.After)
				found = found || claims.MatchString(alone.ForRole(false).Steps[i].Body)
			}
			if !found {
				t.Errorf("%s (%s): the pattern finds nothing in the text alone: the test checks nothing", id, lang)
			}
			for _, x := range texts {
				if m := claims.FindString(x); m != "" {
					t.Errorf("%s (%s), two terminals: %q in %q", id, lang, m, x)
				}
			}
		}
	}
}

// A step waiting for the other terminal says so once the wait is long
// enough to notice, and Ctrl-C (the context) ends it at once, closing
// nothing it should keep and leaking nothing.
func TestPairWaitSaysSoAndStops(t *testing.T) {
	port := sockettest.FreePort(t)
	srv := newParty(t, content.English, "tcp-server", lessons.RoleServer, port)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := 0; i < 5; i++ { // socket … listen
		srv.finish(t, srv.start(ctx))
	}
	i := srv.start(ctx) // the phone rings: nobody calls
	deadline := time.Now().Add(20 * time.Second)
	for {
		srv.ui.mu.Lock()
		notes := strings.Join(srv.recs[i].notes, " ")
		srv.ui.mu.Unlock()
		if strings.Contains(notes, "role.waiting-effect.connect") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no waiting note: %s", notes)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	select {
	case <-srv.done[i]:
	case <-time.After(20 * time.Second):
		t.Fatal("Ctrl-C did not end the wait")
	}
	if err := srv.recs[i].err; !errors.Is(err, context.Canceled) {
		t.Errorf("RunStep = %v, want context.Canceled", err)
	}
	if err := srv.sess.Close(); err != nil || srv.sess.OpenFDs() != 0 {
		t.Errorf("Close = %v, %d descriptors left", err, srv.sess.OpenFDs())
	}
}
