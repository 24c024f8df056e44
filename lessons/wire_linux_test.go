//go:build linux

package lessons_test

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
	"github.com/sockstep/sockstep/lessons/wire"
)

// capture opens a packet capture for a test. CI runs as root, where a
// capture that cannot open is a failure; an ordinary user skips.
func capture(t *testing.T) *wire.Capture {
	t.Helper()
	c, err := wire.Open(wire.Options{Snap: wire.HeaderSnap})
	if errors.Is(err, wire.ErrNoPrivilege) && os.Geteuid() != 0 {
		t.Skipf("capturing needs CAP_NET_RAW: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// wireSteps runs a built-in lesson with a capture and returns, per step,
// the captured packets its timeline shows.
func wireSteps(t *testing.T, id string) [][]*wire.Packet {
	t.Helper()
	all, err := content.Builtin(content.English, "")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(all, func(l *content.Lesson) bool { return l.ID == id })
	if i < 0 {
		t.Fatalf("no lesson %q", id)
	}
	l := all[i]
	s, _ := newSession(t, lessons.Config{Wire: capture(t)})
	if !s.Captured() {
		t.Fatal("the session does not say it captures")
	}
	var out [][]*wire.Packet
	seen := 0
	for _, st := range l.Steps {
		if err := s.RunStep(stepCtx(t), st.Directives); err != nil {
			t.Fatalf("step %q: %v", st.Title, err)
		}
		var step []*wire.Packet
		for _, e := range s.Timeline() {
			if e.Seq <= seen {
				continue
			}
			seen = max(seen, e.Seq)
			if e.Kind == lessons.EventPacket {
				t.Errorf("step %q: a drawn packet (%s) in a captured timeline", st.Title, e.Text)
			}
			if e.Kind == lessons.EventWire {
				step = append(step, e.Wire)
			}
		}
		out = append(out, step)
	}
	return out
}

func flagsOf(ps []*wire.Packet) string {
	var f []string
	for _, p := range ps {
		f = append(f, p.Flags)
	}
	return strings.Join(f, " ")
}

// checkTCPLesson checks what every TCP lesson with a handshake, data and
// a close must show on the wire.
func checkTCPLesson(t *testing.T, steps [][]*wire.Packet) {
	t.Helper()
	handshakes, fins := 0, 0
	var all []*wire.Packet
	for i, ps := range steps {
		all = append(all, ps...)
		if len(ps) > 0 && ps[0].Flags == "SYN" && len(ps) >= 3 && ps[1].Flags == "SYN-ACK" {
			handshakes++
			if got := flagsOf(ps[:3]); got != "SYN SYN-ACK ACK" {
				t.Errorf("step %d: handshake %s", i+1, got)
			}
			syn, sa, ack := ps[0], ps[1], ps[2]
			if syn.Seq != 0 || sa.Seq != 0 || sa.Ack != 1 || ack.Seq != 1 || ack.Ack != 1 || !syn.Relative || !ack.Relative {
				t.Errorf("step %d: relative numbers SYN %d, SYN-ACK %d/%d, ACK %d/%d", i+1, syn.Seq, sa.Seq, sa.Ack, ack.Seq, ack.Ack)
			}
			if syn.Opts == nil || syn.Opts.MSS == 0 || sa.Opts == nil || sa.Opts.MSS == 0 {
				t.Errorf("step %d: MSS missing: %+v %+v", i+1, syn.Opts, sa.Opts)
			}
			if syn.ISN == 0 && sa.ISN == 0 {
				t.Errorf("step %d: no ISN on the SYNs", i+1)
			}
		}
	}
	if handshakes == 0 {
		t.Error("no step shows a handshake")
	}
	// Data of N bytes advances the sender's Seq by N: the next segment
	// from the same address starts where the data ended.
	data := 0
	for i, p := range all {
		if p.Len == 0 || p.Proto != wire.TCP {
			continue
		}
		data++
		for _, q := range all[i+1:] {
			if q.Src == p.Src {
				if q.Seq != p.Seq+uint32(p.Len) {
					t.Errorf("%d bytes at Seq %d, then Seq %d", p.Len, p.Seq, q.Seq)
				}
				break
			}
		}
	}
	if data == 0 {
		t.Error("no data segment captured")
	}
	// Each connection's close: one FIN from each side.
	perConn := map[[2]string]map[string]bool{}
	for _, p := range all {
		if strings.Contains(p.Flags, "FIN") {
			k := [2]string{p.Src.String(), p.Dst.String()}
			slices.Sort(k[:])
			if perConn[k] == nil {
				perConn[k] = map[string]bool{}
			}
			if perConn[k][p.Src.String()] {
				t.Errorf("a second FIN from %s", p.Src)
			}
			perConn[k][p.Src.String()] = true
		}
	}
	for _, sides := range perConn {
		if len(sides) == 2 {
			fins++
		}
	}
	if fins == 0 {
		t.Errorf("no connection shows a FIN from each side: %v", perConn)
	}
}

func TestWireTCPClientLesson(t *testing.T) {
	steps := wireSteps(t, "tcp-client")
	checkTCPLesson(t, steps)
	refused := false
	for _, ps := range steps {
		if flagsOf(ps) == "SYN RST-ACK" {
			refused = true
		}
	}
	if !refused {
		t.Errorf("the refused connect's RST is not captured: %v", steps)
	}
}

func TestWireTCPServerLesson(t *testing.T) {
	checkTCPLesson(t, wireSteps(t, "tcp-server"))
}

// TestWireRefusedLesson: the datagram to a closed port and the ICMP port
// unreachable that answers it, behind the next call's ECONNREFUSED.
func TestWireRefusedLesson(t *testing.T) {
	steps := wireSteps(t, "refused")
	var all []*wire.Packet
	for _, ps := range steps {
		all = append(all, ps...)
	}
	i := slices.IndexFunc(all, func(p *wire.Packet) bool { return p.Proto == wire.ICMP })
	if i < 0 {
		t.Fatalf("no ICMP port unreachable captured: %v", steps)
	}
	if !slices.ContainsFunc(all[:i], func(d *wire.Packet) bool { return d.Proto == wire.UDP && all[i].Answers(*d) }) {
		t.Errorf("the ICMP quotes %+v, which no captured datagram before it matches", all[i].Quoted)
	}
}

// TestWireSideOfPackets: the client's SYN is on the client's side.
func TestWireSideOfPackets(t *testing.T) {
	s, _ := newSession(t, lessons.Config{Wire: capture(t)})
	mustStep(t, s, "socket srv tcp by=peer", "bind srv", "listen srv")
	mustStep(t, s, "socket c tcp", "connect c")
	for _, e := range s.Timeline() {
		if e.Kind != lessons.EventWire {
			continue
		}
		want := lessons.Client
		if e.Wire.Flags == "SYN-ACK" {
			want = lessons.Server
		}
		if e.Side != want {
			t.Errorf("%s drawn from the %s", e.Wire.Flags, e.Side)
		}
	}
}

// TestWireSessionGivesPortsBack: a capture outlives the sessions of a menu;
// each session's close gives its ports back, so a hundred lessons in a row
// still have room in the filter.
func TestWireSessionGivesPortsBack(t *testing.T) {
	c := capture(t)
	for i := 0; i < 3*wire.MaxPorts; i++ {
		s := lessons.NewSession(lessons.Config{Wire: c, Port: sockettest.FreePort(t)}, nil)
		if err := s.RunStep(stepCtx(t), directives(t, "socket srv tcp by=peer", "bind srv", "listen srv", "socket c tcp", "connect c")); err != nil {
			t.Fatal(err)
		}
		got := 0
		for _, e := range s.Timeline() {
			if e.Kind == lessons.EventWire {
				got++
			}
		}
		if got != 3 {
			t.Fatalf("session %d: %d packets captured, want the handshake's 3", i+1, got)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		c.Drain(0) // the closes' packets
	}
}
