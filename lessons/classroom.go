package lessons

import (
	"net/netip"
	"strconv"

	"github.com/kballard/go-shellquote"
)

// The classroom opt-in (--host with an address that is not loopback)
// lets the students' machines reach the teacher's sockets. It does not
// let lessons reach out: connect and sendto still go only to this
// machine, except to an address the learner typed (or confirmed) at a
// prompt in a classroom session (Session.allowed).

// ClassAddress is one address of this machine that students can use.
type ClassAddress struct {
	Interface string
	Addr      netip.Addr
}

// ReachableAddrs lists the addresses at which a socket bound to host can
// be reached from other machines: host itself when it is one address,
// or, for the any-address, every address of the machine's interfaces
// that are up, of the socket's family (an IPv4 socket is never reached at
// an IPv6 address; an IPv6 any-address socket also takes IPv4, as Linux
// binds it dual-stack by default, ipv6(7) IPV6_V6ONLY), without loopback
// and link-local ones (these need the same link, and IPv6 ones a zone).
// A loopback host gives nothing: no other machine can reach it.
func ReachableAddrs(host netip.Addr) []ClassAddress {
	host = host.Unmap()
	if host.IsLoopback() {
		return nil
	}
	ifs, err := Interfaces()
	if !host.IsUnspecified() {
		name := "-"
		for _, i := range ifs {
			for _, p := range i.Addrs {
				if p.Addr().Unmap() == host {
					name = i.Name
				}
			}
		}
		return []ClassAddress{{name, host}}
	}
	if err != nil {
		return nil
	}
	var v4, v6 []ClassAddress
	for _, i := range ifs {
		if !i.Up {
			continue
		}
		for _, p := range i.Addrs {
			a := p.Addr().Unmap()
			if a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsUnspecified() || a.IsMulticast() {
				continue
			}
			if a.Is4() {
				v4 = append(v4, ClassAddress{i.Name, a})
			} else {
				v6 = append(v6, ClassAddress{i.Name, a})
			}
		}
	}
	if host.Is4() {
		return v4
	}
	return append(v6, v4...)
}

// PairArgs returns the argument lists (after the program's name) with
// which the other terminal plays role in lesson pair, against this
// terminal's host and port. The client side gets one list per address
// students can reach this machine at (ReachableAddrs), so that none says
// --host 0.0.0.0, which names no machine to connect to; on loopback, one
// list. The server side keeps host as given. extra (say --lang zh) ends
// every list.
func PairArgs(pair, role string, host netip.Addr, port int, extra ...string) [][]string {
	base := []string{"run", pair, "--role", role}
	if port != DefaultPort {
		base = append(base, "--port", strconv.Itoa(port))
	}
	hosts := []netip.Addr{host}
	if role == RoleClient {
		if as := ReachableAddrs(host); len(as) > 0 {
			hosts = hosts[:0]
			for _, a := range as {
				hosts = append(hosts, a.Addr)
			}
		} else if host.IsUnspecified() {
			hosts = []netip.Addr{loopbackFor(host)}
		}
	}
	var out [][]string
	for _, h := range hosts {
		args := append([]string(nil), base...)
		if h != netip.MustParseAddr("127.0.0.1") {
			args = append(args, "--host", h.String())
		}
		out = append(out, append(args, extra...))
	}
	return out
}

// PairCommands is the command line the other terminal runs, one per
// address it can reach this one at (PairArgs), quoted for a shell: a
// lesson id or a flag value is never shell syntax. ownRole is the role
// of this terminal's lesson; lang, when set, is passed on.
func PairCommands(pair, ownRole string, host netip.Addr, port int, lang string) []string {
	other := RoleServer
	if ownRole == RoleServer {
		other = RoleClient
	}
	var extra []string
	if lang != "" {
		extra = []string{"--lang", lang}
	}
	var out []string
	for _, args := range PairArgs(pair, other, host, port, extra...) {
		out = append(out, "sockstep "+shellquote.Join(args...))
	}
	return out
}

// remindReachable repeats, at the step where a socket of ours starts to
// take calls or datagrams on an address other machines can reach, the
// classroom warning and the addresses to give the class: the first
// screen's warning has long scrolled away by then.
func (s *Session) remindReachable(k *Socket) {
	if k == nil || k.Peer || k.External || !k.Local.IsValid() || k.Local.Addr().IsLoopback() || !s.cfg.AllowRemote {
		return
	}
	s.ui.Note("cli.remote-warning", k.Local.Addr())
	for _, a := range ReachableAddrs(k.Local.Addr()) {
		s.ui.Note("cli.class-address", a.Interface, a.Addr, k.Local.Port())
	}
}

// machineHas reports whether a is an address of one of this machine's
// interfaces: a packet to it never leaves the machine (Linux delivers it
// through the local routing table, over lo). Unknown interfaces count as
// not having it, which keeps the outbound guard closed.
func machineHas(a netip.Addr) bool {
	ifs, err := Interfaces()
	if err != nil {
		return false
	}
	for _, i := range ifs {
		for _, p := range i.Addrs {
			if p.Addr().Unmap() == a.Unmap() {
				return true
			}
		}
	}
	return false
}
