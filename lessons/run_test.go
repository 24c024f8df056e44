package lessons_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
)

// RunStep validates every directive before it runs any: a mistake at the
// end of a step does not leave half of it done.
func TestRunStepValidatesFirst(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	err := s.RunStep(stepCtx(t), []content.Directive{
		{Action: "socket", Pos: []string{"rx", "udp"}},
		{Action: "bind", Pos: []string{"rx"}, Args: map[string]string{"colour": "red"}},
	})
	if !errors.Is(err, lessons.ErrLesson) {
		t.Errorf("error = %v, want ErrLesson", err)
	}
	if len(ui.calls) != 0 || s.Socket("rx") != nil {
		t.Errorf("the step ran before its mistake was found: %+v", ui.calls)
	}
}

// Run is one directive: no peer question, no facts.
func TestRun(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	if err := s.Run(stepCtx(t), directive(t, "socket tx udp by=peer")); err != nil {
		t.Fatal(err)
	}
	if len(ui.asked) != 0 || len(ui.facts) != 0 || len(ui.calls) != 1 || !ui.calls[0].Peer {
		t.Errorf("Run: asked %v, facts %v, calls %+v", ui.asked, ui.facts, ui.calls)
	}
	if err := s.Run(stepCtx(t), directive(t, "fly tx")); !errors.Is(err, lessons.ErrLesson) {
		t.Errorf("Run of an unknown action: %v", err)
	}
}

// The facts after a step cover every socket it touched, including the one
// it sent to, in the order they were first touched.
func TestRunStepFacts(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, "socket rx udp", "bind rx port=0", "socket other udp")
	mustStep(t, s, "socket tx udp", "sendto tx to=rx text=x")
	var names []string
	for _, f := range ui.facts[len(ui.facts)-1] {
		names = append(names, f.Name)
	}
	if strings.Join(names, " ") != "tx rx" {
		t.Errorf("facts reported for %q, want tx rx", names)
	}
	mustStep(t, s, "addrs")
	if len(ui.facts) != 2 {
		t.Errorf("a step that touches no socket reported facts: %v", ui.facts[len(ui.facts)-1])
	}
}

func TestInspectAction(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, "socket a udp", "socket b tcp", "socket c udp")
	mustStep(t, s, "inspect c a")
	var names []string
	for _, f := range ui.facts[len(ui.facts)-1] {
		names = append(names, f.Name)
	}
	if strings.Join(names, " ") != "c a" {
		t.Errorf("inspect c a reported %q", names)
	}
	if len(ui.calls) != 3 {
		t.Errorf("inspect made a call: %+v", ui.calls[3:])
	}
	if err := stepErr(t, s, "inspect a nope"); !errors.Is(err, lessons.ErrLesson) {
		t.Errorf("inspect of an unknown socket: %v", err)
	}
	// Session.Inspect with no names: everything, in creation order.
	var all []string
	for _, f := range s.Inspect() {
		all = append(all, f.Name)
	}
	if strings.Join(all, " ") != "a b c" {
		t.Errorf("Inspect() = %q", all)
	}
	if fs := s.Inspect("nope"); len(fs) != 0 {
		t.Errorf("Inspect(unknown) = %v", fs)
	}
}

func TestAddrsAction(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, "addrs")
	var lo bool
	for _, n := range ui.notesWith("machine.iface") {
		if len(n.Args) == 2 && strings.Contains(fmt.Sprint(n.Args[1]), "127.0.0.1") {
			lo = true
		}
	}
	if !lo {
		t.Errorf("addrs notes = %+v, want an interface with 127.0.0.1", ui.notesWith(""))
	}
	ifs, err := lessons.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	if len(ifs) != len(ui.notesWith("machine.iface")) {
		t.Errorf("%d interfaces, %d notes", len(ifs), len(ui.notesWith("machine.iface")))
	}
	var up bool
	for _, i := range ifs {
		for _, p := range i.Addrs {
			up = up || (i.Up && p.Addr().IsLoopback())
		}
	}
	if !up {
		t.Errorf("Interfaces() has no loopback address on an up interface: %+v", ifs)
	}
}

// A session works without a front end (nil UI): nothing to report to, and
// every question takes its default.
func TestNilUI(t *testing.T) {
	t.Parallel()
	tests := [][]string{
		{"socket rx udp", "bind rx port=0", "socket tx udp by=peer", "sendto tx to=rx text=hi"},
		{"addrs"},
		{"socket rx udp", "bind rx port=0", "socket tx udp", "sendto tx to=rx text=hi ask=yes"},
		{"socket srv tcp", "bind srv", "listen srv", "socket c tcp", "connect c ask=yes"},
		{"socket srv tcp", "bind srv", "listen srv", "socket c tcp", "connect c", "send c text=hi ask=yes"},
		{"socket rx udp", "bind rx port=0", "socket tx udp", `sendto tx to=rx text="a|b" repeat=yes`},
	}
	for _, lines := range tests {
		t.Run(lines[len(lines)-1], func(t *testing.T) {
			t.Parallel()
			s := lessons.NewSession(lessons.Config{Port: sockettest.FreePort(t)}, nil)
			defer s.Close()
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("with a nil UI, %q panicked: %v", lines, p)
				}
			}()
			if err := s.RunStep(stepCtx(t), directives(t, lines...)); err != nil {
				t.Errorf("with a nil UI: %v", err)
			}
		})
	}
}

func TestNewSessionDefaults(t *testing.T) {
	t.Parallel()
	cfg := lessons.NewSession(lessons.Config{}, nil).Config()
	if cfg.Host != netip.MustParseAddr("127.0.0.1") || cfg.Port != lessons.DefaultPort || cfg.AllowRemote || cfg.WaitLimit != 0 {
		t.Errorf("defaults = %+v", cfg)
	}
	cfg = lessons.NewSession(lessons.Config{Host: netip.IPv6Loopback(), Port: 9}, nil).Config()
	if cfg.Host != netip.IPv6Loopback() || cfg.Port != 9 {
		t.Errorf("explicit config changed: %+v", cfg)
	}
}

// The learner plays the sender from another terminal (simulated here by
// the test): sockstep's own directives for it are skipped and replaced by
// commands to paste, and the learner's recvfrom gets the test's datagram.
func TestExternalUDPSender(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	ui.who = lessons.ChoiceMe
	mustStep(t, s, "socket rx udp", "bind rx port=0")
	rx := s.Socket("rx").Local
	// The other terminal sends, and the step that says so waits until
	// the datagram is in rx's queue (here it already is).
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	if _, err := pc.WriteTo([]byte("from the other terminal"), net.UDPAddrFromAddrPort(rx)); err != nil {
		t.Fatal(err)
	}
	mustStep(t, s, "socket tx udp by=peer", `sendto tx to=rx text="hello, receiver"`)

	if len(ui.asked) != 1 || ui.asked[0].Key != "peer.who.udp-sender" ||
		!slices.Equal(ui.asked[0].Choices, []string{lessons.ChoiceSockstep, lessons.ChoiceMe}) {
		t.Errorf("questions = %+v", ui.asked)
	}
	if cs := ui.callsOf("tx"); len(cs) != 0 {
		t.Errorf("sockstep made calls for the learner's socket: %+v", cs)
	}
	tx := s.Socket("tx")
	if tx == nil || !tx.External || !tx.Peer || tx.Open() || tx.Proto != lessons.UDP {
		t.Errorf("tx = %+v, want an external UDP peer", tx)
	}
	if turns := ui.notesWith("peer.your-turn."); len(turns) != 1 || turns[0].Key != "peer.your-turn.sendto" {
		t.Errorf("your-turn notes = %+v, want one for sendto", turns)
	}
	cmds := commandNotes(t, ui)
	for _, want := range []string{"python3", strconv.Itoa(int(rx.Port())), "hello, receiver"} {
		if !strings.Contains(cmds, want) {
			t.Errorf("commands to paste do not mention %q:\n%s", want, cmds)
		}
	}
	if f := factsOf(t, s, "tx"); !f.External || f.FD != -1 || f.State != "" {
		t.Errorf("facts of the external sender: %+v", f)
	}

	mustStep(t, s, "recvfrom rx")
	c := ui.lastCall(t, "rx", "recvfrom")
	if string(c.Data) != "from the other terminal" || c.From != pc.LocalAddr().(*net.UDPAddr).AddrPort() {
		t.Errorf("recvfrom = %q from %s, want the test's datagram from %s", c.Data, c.From, pc.LocalAddr())
	}
}

// The learner plays the client: their connection is what accept returns.
func TestExternalTCPClient(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	ui.who = lessons.ChoiceMe
	mustStep(t, s, "socket srv tcp", "bind srv port=0", "listen srv")
	srv := s.Socket("srv").Local
	// The other terminal calls and sends; the step that says so waits
	// until the call is in srv's accept queue (here it already is).
	conn, err := net.Dial("tcp4", srv.String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	mustStep(t, s, "socket c tcp by=peer", "connect c to=srv")
	if ui.asked[0].Key != "peer.who.tcp-client" {
		t.Errorf("question = %q", ui.asked[0].Key)
	}
	if turns := ui.notesWith("peer.your-turn."); len(turns) != 1 || turns[0].Key != "peer.your-turn.connect" {
		t.Errorf("your-turn notes = %+v", turns)
	}
	cmds := commandNotes(t, ui)
	for _, want := range []string{"('127.0.0.1', " + strconv.Itoa(int(srv.Port())) + ")", "python3", "SOCK_STREAM"} {
		if !strings.Contains(cmds, want) {
			t.Errorf("commands do not mention %q:\n%s", want, cmds)
		}
	}

	mustStep(t, s, "accept srv as=conn", "recv conn")
	if c := ui.lastCall(t, "srv", "accept"); !strings.HasSuffix(c.Ret, ", "+conn.LocalAddr().String()) {
		t.Errorf("accept returned %q, want the test's connection from %s", c.Ret, conn.LocalAddr())
	}
	if c := ui.lastCall(t, "conn", "recv"); string(c.Data) != "ping" {
		t.Errorf("recv = %q, want ping", c.Data)
	}
	// Later directives on the learner's socket are left to the learner;
	// the step waits for their effect.
	if _, err := conn.Write([]byte("more")); err != nil {
		t.Fatal(err)
	}
	mustStep(t, s, "send c text=more")
	if turns := ui.notesWith("peer.your-turn."); turns[len(turns)-1].Key != "peer.your-turn.send" {
		t.Errorf("last your-turn note = %+v", turns[len(turns)-1])
	}
	mustStep(t, s, "recv conn") // unread, it would make close send RST
	if c := ui.lastCall(t, "conn", "recv"); string(c.Data) != "more" {
		t.Errorf("recv = %q, want more", c.Data)
	}
	mustStep(t, s, "send conn text=pong")
	buf := make([]byte, 16)
	n, err := conn.Read(buf)
	if err != nil || string(buf[:n]) != "pong" {
		t.Errorf("the other terminal read %q, %v; want pong", buf[:n], err)
	}
	mustStep(t, s, "close conn")
	if n, err := conn.Read(buf); n != 0 || err != io.EOF {
		t.Errorf("after close the other terminal read %d, %v; want EOF", n, err)
	}
}

// The learner plays the server: sockstep's client connects to the
// address the learner's server was told to bind.
func TestExternalTCPServer(t *testing.T) {
	t.Parallel()
	// The other terminal's server, on a free port that the session then
	// uses as its port.
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	s, ui := newSession(t, lessons.Config{Port: port})
	ui.who = lessons.ChoiceMe
	mustStep(t, s, "socket srv tcp by=peer", "bind srv", "listen srv")
	if ui.asked[0].Key != "peer.who.tcp-server" {
		t.Errorf("question = %q", ui.asked[0].Key)
	}
	var turns []string
	for _, n := range ui.notesWith("peer.your-turn.") {
		turns = append(turns, n.Key)
	}
	if strings.Join(turns, " ") != "peer.your-turn.bind peer.your-turn.listen" {
		t.Errorf("your-turn notes = %q", turns)
	}
	if cmds := commandNotes(t, ui); !strings.Contains(cmds, fmt.Sprintf("('127.0.0.1', %d)", port)) {
		t.Errorf("commands:\n%s", cmds)
	}
	if srv := s.Socket("srv"); srv.Side != lessons.Server || srv.Local.Port() != uint16(port) {
		t.Errorf("the learner's server is remembered as %+v", srv)
	}

	mustStep(t, s, "socket c tcp", "connect c to=srv")
	peer, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	if peer.RemoteAddr().String() != s.Socket("c").Local.String() {
		t.Errorf("the other terminal accepted %s, sockstep's client is %s", peer.RemoteAddr(), s.Socket("c").Local)
	}
	mustStep(t, s, "accept srv as=conn", "send c text=hi")
	if conn := s.Socket("conn"); conn == nil || !conn.External {
		t.Errorf("the learner's accepted connection = %+v, want external", conn)
	}
	buf := make([]byte, 8)
	if n, err := peer.Read(buf); string(buf[:n]) != "hi" || err != nil {
		t.Errorf("the other terminal read %q, %v", buf[:n], err)
	}
	// The SYN-ACK came from the learner's server.
	var synack lessons.Event
	for _, e := range s.Timeline() {
		if e.Kind == lessons.EventPacket && e.Text == "SYN-ACK" {
			synack = e
		}
	}
	if synack.Socket != "srv" || synack.Side != lessons.Server {
		t.Errorf("SYN-ACK event = %+v, want from srv", synack)
	}
}

// Choosing sockstep runs the peer's directives on sockstep's own socket.
func TestPeerPlayedBySockstep(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, "socket rx udp", "bind rx port=0")
	mustStep(t, s, "socket tx udp by=peer", "sendto tx to=rx text=x")
	if len(ui.notesWith("peer.")) != 0 || len(ui.cmds) != 0 {
		t.Errorf("notes for the learner although sockstep plays the peer: %+v %q", ui.notesWith("peer."), ui.cmds)
	}
	tx := s.Socket("tx")
	if !tx.Peer || tx.External || !tx.Open() {
		t.Errorf("tx = %+v", tx)
	}
	if c := ui.lastCall(t, "tx", "sendto"); !c.Peer {
		t.Errorf("peer call not marked: %+v", c)
	}
}

func TestPeerDirectives(t *testing.T) {
	t.Parallel()
	s, _ := newSession(t, lessons.Config{})
	mustStep(t, s, "socket srv tcp by=peer", "bind srv port=0", "listen srv")
	got := s.PeerDirectives(directives(t,
		"socket c tcp", "connect c to=srv", "accept srv as=conn", "recv conn", "send c text=x",
		"socket tx udp by=peer", "sendto tx to=closed", "addrs", "inspect srv"))
	want := []bool{false, false, true, true, false, true, true, false, false}
	if !slices.Equal(got, want) {
		t.Errorf("PeerDirectives = %v, want %v", got, want)
	}
}

// commandNotes joins the commands shown for the learner to paste: a
// python3 one, then, where nc is installed (many machines have none), an
// nc one; each whole on one line.
func commandNotes(t *testing.T, ui *fakeUI) string {
	t.Helper()
	ui.mu.Lock()
	defer ui.mu.Unlock()
	_, err := exec.LookPath("nc")
	if n := 1 + btoi(err == nil); len(ui.cmds) != n || !strings.HasPrefix(ui.cmds[0], "python3 ") ||
		n == 2 && !strings.HasPrefix(ui.cmds[1], "nc ") && !strings.HasPrefix(ui.cmds[1], "printf ") {
		t.Fatalf("commands = %q, want a python3 one, then an nc one if nc is installed (%v)", ui.cmds, err == nil)
	}
	for _, c := range ui.cmds {
		if strings.ContainsAny(c, "\n\r") {
			t.Errorf("command %q is not one line", c)
		}
	}
	return strings.Join(ui.cmds, "\n")
}

func TestExternalCommands(t *testing.T) {
	t.Parallel()
	v4 := netip.MustParseAddrPort("127.0.0.1:7788")
	v6 := netip.MustParseAddrPort("[::1]:7788")
	tests := []struct {
		role string
		addr netip.AddrPort
		want []string // in the python3 command, then in the nc one
	}{
		{"tcp-server", v4, []string{"('127.0.0.1', 7788)", "nc -l 127.0.0.1 7788"}},
		{"tcp-client", v4, []string{"for l in sys.stdin", "nc 127.0.0.1 7788"}},
		{"udp-sender", v4, []string{"s.sendto('hi'.encode(), ('127.0.0.1', 7788))", "'hi' | nc -u -w1 127.0.0.1 7788"}},
		{"udp-receiver", v4, []string{"s.bind(('127.0.0.1', 7788))", "nc -u -l 127.0.0.1 7788"}},
		{"tcp-client", v6, []string{"socket.AF_INET6", "nc ::1 7788"}},
	}
	for _, tt := range tests {
		t.Run(tt.role+" "+tt.addr.String(), func(t *testing.T) {
			t.Parallel()
			cmds := lessons.ExternalCommands(tt.role, tt.addr, "hi")
			if len(cmds) != 2 || !strings.HasPrefix(cmds[1], "printf") && !strings.HasPrefix(cmds[1], "nc ") || !strings.HasPrefix(cmds[0], "python3 -c ") {
				t.Fatalf("commands = %q, want a python3 command then an nc one", cmds)
			}
			for i, w := range tt.want {
				if !strings.Contains(cmds[i], w) {
					t.Errorf("command %q does not contain %q", cmds[i], w)
				}
			}
		})
	}
	if cmds := lessons.ExternalCommands("tcp-peer", v4, "x"); cmds != nil {
		t.Errorf("unknown role gave %q", cmds)
	}
}

// Every message key the lessons package reports exists in every catalog.
func TestMessageKeysExist(t *testing.T) {
	t.Parallel()
	keys := []string{"step.expected-but-ok", "call.eof", "machine.iface",
		"ask.line", "ask.line-or-exit", "ask.host", "ask.port",
		lessons.ChoiceSockstep, lessons.ChoiceMe}
	for _, role := range []string{"tcp-server", "tcp-client", "udp-sender", "udp-receiver", "udp-peer", "tcp-peer"} {
		keys = append(keys, "peer.who."+role)
	}
	for _, sp := range lessons.Specs() {
		if lessons.YourTurn(sp) {
			keys = append(keys, "peer.your-turn."+sp.Action)
		}
	}
	for _, sp := range lessons.Experiments() {
		keys = append(keys, "experiment.doc."+sp.Action)
	}
	for _, lang := range content.Langs {
		cat := content.Text(lang)
		for _, k := range keys {
			if !cat.Has(k) {
				t.Errorf("%s catalog has no %q", lang, k)
			}
		}
	}
}

// When the learner's client and the server's accept share a step (the
// tcp-server lesson's next caller), the commands to paste come before
// accept waits for them, not after the step.
func TestExternalCommandsBeforeAccept(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	ui.who = lessons.ChoiceMe
	mustStep(t, s, "socket srv tcp", "bind srv port=0", "listen srv")
	srv := s.Socket("srv").Local
	done := make(chan error, 1)
	go func() { done <- stepErr(t, s, "socket c tcp by=peer", "connect c to=srv", "accept srv as=conn") }()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		ui.mu.Lock()
		n := len(ui.cmds)
		ui.mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("accept is waiting and no command to paste was printed")
		}
	}
	conn, err := net.Dial("tcp4", srv.String()) // the learner, following them
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// The python3 client printed for a learner playing the caller is a
// conversation, as the lesson's server expects: each line typed is sent
// and its reply printed, and the end of input hangs up.
func TestExternalTCPClientCommandConverses(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed: the printed command cannot be run here")
	}
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() { // an echo server that upper-cases, one connection
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		buf := make([]byte, 1024)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			c.Write([]byte(strings.ToUpper(string(buf[:n]))))
		}
	}()
	cmds := lessons.ExternalCommands("tcp-client", l.Addr().(*net.TCPAddr).AddrPort(), "")
	cmd := exec.Command("sh", "-c", cmds[0])
	cmd.Stdin = strings.NewReader("one\ntwo\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got := string(out); got != "ONE\nTWO\n" {
		t.Errorf("the conversation printed %q, want each reply on its line", got)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
