package lessons_test

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/lessons"
)

// The first sendto on an unbound socket binds it to an ephemeral port; the
// receiver's recvfrom names that port as the sender.
func TestSendtoRecvfrom(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, "socket rx udp", "bind rx port=0")
	mustStep(t, s, "socket tx udp")
	if f := factsOf(t, s, "tx"); f.Local.Port() != 0 {
		t.Fatalf("a fresh UDP socket already has port %d", f.Local.Port())
	}
	mustStep(t, s, `sendto tx to=rx text="hello, receiver"`)
	tx, rx := s.Socket("tx"), s.Socket("rx")
	c := ui.lastCall(t, "tx", "sendto")
	if want := fmt.Sprintf(`sendto(%d, "hello, receiver", 0, %s)`, tx.FD, rx.Local); c.Text != want || c.Ret != "15" || c.Side != lessons.Client {
		t.Errorf("sendto call = %q → %q, want %q → 15", c.Text, c.Ret, want)
	}
	if tx.Local.Port() == 0 || tx.Side != lessons.Client {
		t.Errorf("sender after sendto: %+v, want an ephemeral port and the client side", tx)
	}
	if f := ui.lastFacts(t, "tx"); f.Local.Port() != tx.Local.Port() || f.Remote.IsValid() {
		t.Errorf("sender facts: %+v, want its new port and no peer", f)
	}
	// The step reports the destination too: one datagram waits there,
	// and for UDP RecvQ is the size of the next datagram.
	if f := ui.lastFacts(t, "rx"); f.RecvQ != 15 {
		t.Errorf("receiver RecvQ after the sendto step = %d, want 15", f.RecvQ)
	}

	mustStep(t, s, "recvfrom rx size=1024")
	r := ui.lastCall(t, "rx", "recvfrom")
	from := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), tx.Local.Port())
	if r.From != from || string(r.Data) != "hello, receiver" || r.Ret != fmt.Sprintf("15, %s", from) || r.Side != lessons.Server {
		t.Errorf("recvfrom call = %+v, want 15 bytes from %s", r, from)
	}
	if r.Text != fmt.Sprintf("recvfrom(%d, 1024, 0)", rx.FD) {
		t.Errorf("recvfrom text = %q", r.Text)
	}
	if f := ui.lastFacts(t, "rx"); f.RecvQ != 0 {
		t.Errorf("RecvQ after recvfrom = %d", f.RecvQ)
	}
}

// UDP keeps message boundaries, and cuts a datagram to the buffer: the
// rest is lost, not kept for the next call.
func TestRecvfromBoundaries(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, "socket rx udp", "bind rx port=0", "socket tx udp")
	mustStep(t, s, "sendto tx to=rx text=ab", "sendto tx to=rx text=cdefgh")
	mustStep(t, s, "recvfrom rx")
	if c := ui.lastCall(t, "rx", "recvfrom"); string(c.Data) != "ab" {
		t.Errorf("first recvfrom = %q, want one whole datagram, ab", c.Data)
	}
	if f := ui.lastFacts(t, "rx"); f.RecvQ != 6 {
		t.Errorf("RecvQ = %d, want the size of the next datagram, 6", f.RecvQ)
	}
	mustStep(t, s, "recvfrom rx size=3")
	if c := ui.lastCall(t, "rx", "recvfrom"); string(c.Data) != "cde" || !strings.HasPrefix(c.Ret, "3, ") {
		t.Errorf("recvfrom size=3 = %q (%s), want cde", c.Data, c.Ret)
	}
	if f := ui.lastFacts(t, "rx"); f.RecvQ != 0 {
		t.Errorf("RecvQ after a cut datagram = %d, want 0: the rest is gone", f.RecvQ)
	}
}

// When the destination is sockstep's own receiver, each datagram is
// received right after it is sent; with repeat=yes the learner types lines
// until exit.
func TestSendtoRepeatToPeer(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, "socket rx udp by=peer", "bind rx port=0")
	if len(ui.asked) != 1 || ui.asked[0].Key != "peer.who.udp-receiver" || ui.asked[0].Default != lessons.ChoiceSockstep {
		t.Fatalf("questions = %+v, want who plays the receiver", ui.asked)
	}
	ui.script["ask.line-or-exit"] = []string{"one", "two", " exit "}
	mustStep(t, s, "socket tx udp", `sendto tx to=rx text="a|b" repeat=yes`)
	var sent, got []string
	for _, c := range ui.callsOf("tx") {
		if strings.HasPrefix(c.Text, "sendto(") {
			sent = append(sent, string(c.Data))
		}
	}
	for _, c := range ui.callsOf("rx") {
		if strings.HasPrefix(c.Text, "recvfrom(") {
			got = append(got, string(c.Data))
			if !c.Peer || c.From.Port() != s.Socket("tx").Local.Port() {
				t.Errorf("peer recvfrom = %+v", c)
			}
		}
	}
	if strings.Join(sent, ",") != "one,two" || strings.Join(got, ",") != "one,two" {
		t.Errorf("sent %q, received %q; want one,two both", sent, got)
	}
	var defaults []string
	for _, q := range ui.asked[1:] {
		defaults = append(defaults, q.Key+"="+q.Default)
	}
	if want := "ask.line-or-exit=a ask.line-or-exit=b ask.line-or-exit=exit"; strings.Join(defaults, " ") != want {
		t.Errorf("questions = %q, want %q", defaults, want)
	}
}

// Without ask or repeat, sendto sends the first line of text= only.
func TestSendtoOnce(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, "socket rx udp", "bind rx port=0", "socket tx udp")
	mustStep(t, s, `sendto tx to=rx text="first|second"`)
	if cs := ui.callsOf("tx"); len(cs) != 2 || string(cs[1].Data) != "first" {
		t.Errorf("calls = %+v, want socket and one sendto of first", cs)
	}
	if len(ui.asked) != 0 {
		t.Errorf("asked %+v without ask=yes", ui.asked)
	}
}
