package lessons

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/sockstep/sockstep/content"
)

// Preview writes the call a directive is about to make, as code, with the
// descriptors and addresses known so far. A socket that the same step will
// create has no descriptor yet and is shown by its name.
func (s *Session) Preview(d content.Directive) string {
	sp, rd, err := resolve(d)
	if err != nil {
		return d.String()
	}
	a := args{sp, rd}
	if sp.preview != nil {
		return sp.preview(s, a)
	}
	fd := func(name string) string {
		if k := s.Socket(name); k != nil && k.Open() {
			return fmt.Sprint(k.FD)
		}
		return name
	}
	to := func() string {
		if t := a.get("to"); t == "closed" {
			lo := loopbackFor(s.cfg.Host)
			if !lo.IsLoopback() {
				lo = netip.MustParseAddr("127.0.0.1")
			}
			if lo.Is6() {
				return "[" + lo.String() + "]:<closed>"
			}
			return lo.String() + ":<closed>"
		}
		if addr, err := s.target(a.get("to")); err == nil {
			return addr.String()
		}
		return a.get("to")
	}
	name := a.get("name")
	var out string
	switch d.Action {
	case "socket":
		fam, typ := "AF_INET", "SOCK_DGRAM"
		if familyOf(s.cfg.Host) == 10 || a.get("family") == "6" {
			fam = "AF_INET6"
		}
		if a.get("family") == "4" {
			fam = "AF_INET"
		}
		if a.get("proto") == "tcp" {
			typ = "SOCK_STREAM"
		}
		out = fmt.Sprintf("%s = socket(%s, %s, 0)", name, fam, typ)
	case "bind":
		addr, err := s.bindAddr(a)
		as := a.get("addr")
		if err == nil {
			as = addr.String()
		}
		out = fmt.Sprintf("bind(%s, %s)", fd(name), as)
	case "listen":
		b := a.get("backlog")
		if b == "" {
			b = "128"
		}
		out = fmt.Sprintf("listen(%s, %s)", fd(name), b)
	case "accept":
		out = fmt.Sprintf("%s, addr = accept(%s)", a.get("as"), fd(name))
	case "connect":
		out = fmt.Sprintf("connect(%s, %s)", fd(name), to())
	case "send":
		out = fmt.Sprintf("send(%s, %s, 0)", fd(name), quoteData([]byte(a.get("text"))))
	case "recv":
		out = fmt.Sprintf("data = recv(%s, %s, 0)", fd(name), orDefault(a.get("size"), "1024"))
	case "sendto":
		texts := strings.Split(a.get("text"), "|")
		out = fmt.Sprintf("sendto(%s, %s, 0, %s)", fd(name), quoteData([]byte(texts[0])), to())
		if a.get("repeat") == "yes" {
			out = "loop until exit: " + out
		}
	case "recvfrom":
		out = fmt.Sprintf("data, addr = recvfrom(%s, %s, 0)", fd(name), orDefault(a.get("size"), "1024"))
	case "close":
		out = fmt.Sprintf("close(%s)", fd(name))
	case "shutdown":
		how := map[string]string{"": "SHUT_WR", "wr": "SHUT_WR", "rd": "SHUT_RD", "rdwr": "SHUT_RDWR"}[a.get("how")]
		out = fmt.Sprintf("shutdown(%s, %s)", fd(name), how)
	case "inspect":
		out = "# inspect " + strings.Join(d.Pos, " ")
	case "states":
		out = "# TCP_INFO tcpi_state: " + strings.Join(d.Pos, " ")
	case "predict":
		return "" // a question, not a call
	case "experiment":
		out = "# " + d.String()
	case "addrs":
		out = "getifaddrs()"
	default:
		out = d.String()
	}
	if e := a.get("expect"); e != "" {
		out += "   # → " + e
	}
	return out
}

// PeerDirectives reports, for each directive of a step, whether
// sockstep's side runs it: sockets opened with by=peer, and everything
// done on them, in earlier steps or earlier in the same one.
func (s *Session) PeerDirectives(ds []content.Directive) []bool {
	out := make([]bool, len(ds))
	peer := map[string]bool{}
	for i, d := range ds {
		name := socketName(d)
		switch {
		case d.Action == "socket":
			peer[name] = d.Args["by"] == "peer"
			out[i] = peer[name]
		case name != "":
			if p, ok := peer[name]; ok {
				out[i] = p
			} else if k := s.Socket(name); k != nil {
				out[i] = k.Peer
			}
		}
		if d.Action == "accept" {
			peer[d.Args["as"]] = out[i]
		}
	}
	return out
}

// ExternalDirective reports whether a directive acts on a socket the
// learner plays from another terminal (sockstep will not run it).
func (s *Session) ExternalDirective(d content.Directive) bool {
	if name := socketName(d); name != "" {
		if k := s.Socket(name); k != nil {
			return k.External
		}
	}
	return false
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
