package lessons

import (
	"net/netip"

	"github.com/sockstep/sockstep/content"
)

// Preview writes the call a directive is about to make, as code, with the
// descriptors and addresses known so far (Spec.preview). A socket that the
// same step will create has no descriptor yet and is shown by its name.
func (s *Session) Preview(d content.Directive) string {
	a, ok := argsOf(d)
	if !ok || a.sp.preview == nil {
		return d.String()
	}
	out := a.sp.preview(s, a)
	if e := a.get("expect"); e != "" && out != "" {
		out += "   # → " + e
	}
	return out
}

// previewTarget shows where a connect or sendto goes.
func (s *Session) previewTarget(to string) string {
	if to == "closed" {
		lo := loopbackFor(s.cfg.Host)
		if !lo.IsLoopback() {
			lo = netip.MustParseAddr("127.0.0.1")
		}
		if lo.Is6() {
			return "[" + lo.String() + "]:" + s.text("call.closed")
		}
		return lo.String() + ":" + s.text("call.closed")
	}
	if addr, err := s.target(to); err == nil {
		return addr.String()
	}
	return to
}

// PeerDirectives reports, for each directive of a step, whether
// sockstep's side runs it: sockets opened with by=peer, and everything
// done on them, in earlier steps or earlier in the same one.
func (s *Session) PeerDirectives(ds []content.Directive) []bool {
	out := make([]bool, len(ds))
	peer := map[string]bool{}
	for i, d := range ds {
		a, ok := argsOf(d)
		if !ok {
			continue
		}
		name := a.subject()
		if p, _ := a.sp.subject(); p.Socket == SocketCreated {
			peer[name] = a.get("by") == "peer"
			out[i] = peer[name]
		} else if name != "" {
			if p, ok := peer[name]; ok {
				out[i] = p
			} else if k := s.Socket(name); k != nil {
				out[i] = k.Peer
			}
		}
		// The other sockets it creates (accept's connection) belong to
		// the same side.
		for _, n := range a.sockets(SocketCreated) {
			if n != name {
				peer[n] = out[i]
			}
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

// ExternalDirectives reports, for each directive of a step, whether it
// acts on a socket the learner plays from another terminal: one made so
// in an earlier step, or a connection that the learner's own server
// accepts earlier in the same step (it is theirs too, see skipExternal).
func (s *Session) ExternalDirectives(ds []content.Directive) []bool {
	out := make([]bool, len(ds))
	ext := map[string]bool{}
	for i, d := range ds {
		a, ok := argsOf(d)
		if !ok {
			continue
		}
		name := a.subject()
		if e, ok := ext[name]; ok {
			out[i] = e
		} else {
			out[i] = s.ExternalDirective(d)
		}
		for _, n := range a.sockets(SocketCreated) {
			if n != name {
				ext[n] = out[i]
			}
		}
	}
	return out
}
