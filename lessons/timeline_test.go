package lessons_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/lessons"
)

// A whole TCP conversation, client closing first: the timeline shows the
// handshake, the data and the teardown, with the states the kernel
// reported in between, each on its side.
func TestTimelineTCPConversation(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	requireForeignAddrFails(t)
	s, _ := newSession(t, lessons.Config{})
	steps := [][]string{
		// A socket that only shows a failing bind takes no side.
		{"socket odd tcp", "bind odd addr=192.0.2.1:{port} expect=EADDRNOTAVAIL"},
		{"socket lonely udp"},
		{"socket srv tcp", "bind srv port=0", "listen srv"},
		{"socket c tcp", "connect c to=srv"},
		{"accept srv as=conn"},
		{"send c text=hello"},
		{"recv conn"},
		{"send conn text=HELLO"},
		{"recv c"},
		{"close c"},
		{"recv conn"},
		{"close conn"},
	}
	for _, st := range steps {
		mustStep(t, s, withPort(s.Config().Port, st...)...)
	}
	tl := s.Timeline()

	// rows are "side socket kind:text" for easy searching.
	var rows []string
	for _, e := range tl {
		if e.Socket == "odd" || e.Socket == "lonely" {
			t.Errorf("a socket that never took a side is on the timeline: %+v", e)
		}
		if e.Side != lessons.Client && e.Side != lessons.Server {
			t.Errorf("event without a side: %+v", e)
		}
		switch e.Kind {
		case lessons.EventCall:
			fn, _, _ := strings.Cut(e.Text, "(")
			rows = append(rows, string(e.Side)+" "+e.Socket+" call:"+fn)
		case lessons.EventPacket:
			label := e.Text
			if e.Bytes > 0 {
				label += fmt.Sprintf(" %d B", e.Bytes)
			}
			rows = append(rows, string(e.Side)+" packet:"+label)
		case lessons.EventState:
			rows = append(rows, string(e.Side)+" "+e.Socket+" state:"+e.To)
		}
	}
	at := func(row string) int {
		i := slices.Index(rows, row)
		if i < 0 {
			t.Errorf("timeline has no %q", row)
		}
		return i
	}
	// Each pair must appear in this order.
	order := []string{
		"server srv call:listen",
		"server srv state:LISTEN",
		"client c call:connect",
		"client packet:SYN",
		"server packet:SYN-ACK",
		"client packet:ACK",
		"client c state:ESTABLISHED",
		"server srv call:accept",
		"server conn state:ESTABLISHED",
		"client c call:send",
		"client packet:data 5 B",
		"server conn call:recv",
		"client c call:close",
		"client packet:FIN",
		"client c state:FIN_WAIT2",
		"server conn state:CLOSE_WAIT",
		"server conn call:close",
		"client c state:TIME_WAIT",
	}
	prev := -1
	for _, row := range order {
		i := at(row)
		if i >= 0 && i < prev {
			t.Errorf("%q comes before %q", row, order[slices.Index(order, row)-1])
		}
		if i >= 0 {
			prev = i
		}
	}
	if t.Failed() {
		t.Logf("timeline:\n%s", strings.Join(rows, "\n"))
	}
	// States are changes only: no state is reported twice in a row for a
	// socket.
	last := map[string]string{}
	for _, e := range tl {
		if e.Kind != lessons.EventState {
			continue
		}
		if e.From != last[e.Socket] || e.To == e.From {
			t.Errorf("state event %+v does not follow the last state %q", e, last[e.Socket])
		}
		last[e.Socket] = e.To
	}
}

// A refused connect still draws the client's SYN and the RST that came
// back, from a party outside the session.
func TestTimelineRefused(t *testing.T) {
	t.Parallel()
	s, _ := newSession(t, lessons.Config{})
	mustStep(t, s, "socket c tcp", "connect c to=closed expect=ECONNREFUSED")
	var rows []string
	for _, e := range s.Timeline() {
		rows = append(rows, string(e.Side)+":"+e.Text)
	}
	if len(rows) < 4 || !strings.HasPrefix(rows[1], "client:connect(") || !strings.HasSuffix(rows[1], "→ ECONNREFUSED") ||
		rows[2] != "client:SYN" || rows[3] != "server:RST" {
		t.Errorf("timeline = %q", rows)
	}
}

// TCP connect's SYN-ACK comes from the listener it reached. A UDP socket
// bound to the same port number is another protocol and no party to it.
func TestTimelineSynAckFromListener(t *testing.T) {
	t.Parallel()
	s, _ := newSession(t, lessons.Config{})
	mustStep(t, s, "socket u udp", "bind u")
	mustStep(t, s, "socket srv tcp", "bind srv", "listen srv")
	mustStep(t, s, "socket c tcp", "connect c to=srv")
	for _, e := range s.Timeline() {
		if e.Kind == lessons.EventPacket && e.Text == "SYN-ACK" && e.Socket != "srv" {
			t.Errorf("SYN-ACK is labelled with socket %q, want srv", e.Socket)
		}
	}
}

func TestSideOther(t *testing.T) {
	t.Parallel()
	if lessons.Client.Other() != lessons.Server || lessons.Server.Other() != lessons.Client {
		t.Error("Client and Server are not each other's other side")
	}
}
