package lessons

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// The addresses given to the class are the machine's own, of the
// socket's family, never loopback, link-local or the any-address.
func TestReachableAddrs(t *testing.T) {
	ifs, err := Interfaces()
	if err != nil {
		t.Skip(err)
	}
	own := map[netip.Addr]bool{}
	for _, i := range ifs {
		for _, p := range i.Addrs {
			own[p.Addr().Unmap()] = true
		}
	}
	for _, host := range []string{"0.0.0.0", "::"} {
		h := netip.MustParseAddr(host)
		for _, a := range ReachableAddrs(h) {
			if !own[a.Addr] || a.Addr.IsLoopback() || a.Addr.IsLinkLocalUnicast() || a.Addr.IsUnspecified() {
				t.Errorf("%s: %s (%s) is not an address to give the class", host, a.Addr, a.Interface)
			}
			if h.Is4() && !a.Addr.Is4() {
				t.Errorf("0.0.0.0 (an IPv4 socket) reached at %s", a.Addr)
			}
		}
	}
	if got := ReachableAddrs(netip.MustParseAddr("127.0.0.1")); len(got) != 0 {
		t.Errorf("loopback is reachable from other machines: %v", got)
	}
	if got := ReachableAddrs(netip.MustParseAddr("192.0.2.1")); len(got) != 1 || got[0].Addr.String() != "192.0.2.1" {
		t.Errorf("one address: %v", got)
	}
}

// The command printed for the other side never says --host 0.0.0.0: the
// client gets one command per address of this machine.
func TestPairArgs(t *testing.T) {
	any4 := netip.MustParseAddr("0.0.0.0")
	lists := PairArgs("tcp-client", RoleClient, any4, 9000, "--lang", "zh")
	want := len(ReachableAddrs(any4))
	if want == 0 {
		want = 1 // no other address: loopback, for a second terminal here
	}
	if len(lists) != want {
		t.Errorf("%d commands for %d addresses: %q", len(lists), want, lists)
	}
	for _, args := range lists {
		line := strings.Join(args, " ")
		if strings.Contains(line, "0.0.0.0") || strings.Contains(line, ":") {
			t.Errorf("the client is told to connect to %q", line)
		}
		if !strings.HasPrefix(line, "run tcp-client --role client --port 9000") || !strings.HasSuffix(line, "--lang zh") {
			t.Errorf("command %q", line)
		}
	}
	if got := PairArgs("tcp-client", RoleClient, netip.MustParseAddr("127.0.0.1"), DefaultPort); len(got) != 1 || slices.Contains(got[0], "--host") {
		t.Errorf("loopback: %q", got)
	}
	if got := PairArgs("tcp-server", RoleServer, any4, 9000); len(got) != 1 || !slices.Contains(got[0], "0.0.0.0") {
		t.Errorf("the server side keeps its host: %q", got)
	}
}

// askUI answers the address prompts as a learner would type them.
type askUI struct {
	quietUI
	host, port string
	notes      []string
}

func (u *askUI) Ask(ctx context.Context, q Question) (string, error) {
	switch q.Key {
	case "ask.host":
		return u.host, nil
	case "ask.port":
		return u.port, nil
	}
	return q.Default, nil
}
func (u *askUI) Note(key string, args ...any) { u.notes = append(u.notes, key) }

// The classroom opt-in lets others reach us, not lessons reach others:
// a destination on another machine is refused, whatever --host says,
// unless the learner typed it at a prompt in a classroom session. No
// packet is sent here: only the guard is asked.
func TestOutboundGuard(t *testing.T) {
	ctx := context.Background()
	remote := "192.0.2.7:80" // documentation address, never sent to
	for _, cfg := range []Config{
		{Host: netip.MustParseAddr("0.0.0.0"), AllowRemote: true},
		{Host: netip.MustParseAddr("0.0.0.0"), AllowRemote: true, Role: RoleServer},
		{},
	} {
		s := NewSession(cfg, &askUI{host: "127.0.0.1", port: "80"})
		if _, err := s.target(remote); !errors.Is(err, ErrNotLocal) {
			t.Errorf("%+v: a lesson's own destination %s: %v, want ErrNotLocal", cfg, remote, err)
		}
	}
	// Typed at the prompt in a classroom session: allowed, and only it.
	ui := &askUI{host: "192.0.2.7", port: "80"}
	s := NewSession(Config{Host: netip.MustParseAddr("0.0.0.0"), AllowRemote: true}, ui)
	if addr, err := s.targetOrAsk(ctx, "", true); err != nil || addr.String() != remote {
		t.Errorf("typed %s: %s, %v", remote, addr, err)
	}
	if _, err := s.target("192.0.2.8:80"); !errors.Is(err, ErrNotLocal) {
		t.Errorf("another address after the typed one: %v", err)
	}
	// Outside a classroom session the typed address is refused.
	s = NewSession(Config{}, &askUI{host: "192.0.2.7", port: "80"})
	if _, err := s.targetOrAsk(ctx, "", true); !errors.Is(err, ErrNotLocal) {
		t.Errorf("typed outside a classroom: %v, want ErrNotLocal", err)
	}
	// A student's client (--host the teacher's address): the teacher's
	// address is put to the learner first, then allowed.
	ui = &askUI{host: "192.0.2.7", port: "80"}
	s = NewSession(Config{Host: netip.MustParseAddr("192.0.2.7"), Port: 80, AllowRemote: true, Role: RoleClient}, ui)
	if addr, err := s.targetOrAsk(ctx, "", false); err != nil || addr.String() != remote {
		t.Errorf("the teacher's address: %s, %v", addr, err)
	}
}

// The warning and the addresses come again when a socket starts taking
// calls on an address other machines can reach.
func TestRemindReachable(t *testing.T) {
	ui := &askUI{}
	s := NewSession(Config{Host: netip.MustParseAddr("0.0.0.0"), AllowRemote: true}, ui)
	s.remindReachable(&Socket{Name: "srv", Local: netip.MustParseAddrPort("0.0.0.0:9000")})
	if len(ui.notes) == 0 || ui.notes[0] != "cli.remote-warning" || len(ui.notes) != 1+len(ReachableAddrs(netip.MustParseAddr("0.0.0.0"))) {
		t.Errorf("notes %v", ui.notes)
	}
	ui.notes = nil
	s.remindReachable(&Socket{Name: "srv", Local: netip.MustParseAddrPort("127.0.0.1:9000")})
	if len(ui.notes) != 0 {
		t.Errorf("loopback: %v", ui.notes)
	}
}
