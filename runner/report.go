package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/runner/escape"
)

// ui is the runner's side of lessons.UI: it prints what each step does as
// it happens.
type ui struct {
	r *Runner
}

func (u ui) Call(c lessons.Call) { u.r.printCall(c) }

func (u ui) Facts(fs []lessons.Facts) { u.r.printFacts(fs) }

func (u ui) Note(key string, args ...any) {
	u.r.printf("  %s\n", u.r.cat.T(key, args...))
}

func (u ui) Command(cmd string) {
	// Written directly: a wrapped command would break when pasted.
	line := fmt.Sprintf("      $ %s\n", u.r.paint(colorCode, cmd))
	u.r.emit(line, line)
}

func (u ui) Ask(ctx context.Context, q lessons.Question) (string, error) {
	return u.r.ask(ctx, q)
}

func (r *Runner) who(peer bool) string {
	if peer {
		if r.opts.Session.Role != "" {
			// Two terminals: the other party is the pair lesson.
			return r.cat.T("who.other-terminal")
		}
		return r.cat.T("who.peer")
	}
	return r.cat.T("who.you")
}

// whoFacts names who plays a socket whose facts are shown, and what
// stands in for the facts of a socket played elsewhere.
func (r *Runner) whoFacts(f lessons.Facts) (who, external string) {
	switch {
	case f.External && r.opts.Session.Role != "":
		return r.cat.T("who.other-terminal"), r.cat.T("facts.other-terminal")
	case f.External:
		return r.cat.T("who.external"), r.cat.T("facts.external")
	}
	return r.who(f.Peer), ""
}

func (r *Runner) printCall(c lessons.Call) {
	tag := r.paint(colorDim, "["+r.who(c.Peer)+"]")
	// A call's comment ("sendto(…)   # stranger") goes after what the
	// call returned, as in code: "sendto(…) = 15   # stranger".
	call, comment, _ := strings.Cut(c.Text, "   # ")
	if comment != "" {
		comment = r.paint(colorDim, "   # "+comment)
	}
	if c.Err == nil {
		r.printf("  %s %s %s = %s%s\n", r.paint(colorOK, "▶"), tag, r.paint(colorCode, call), c.Ret, comment)
	} else {
		name := lessons.ErrnoName(lessons.ErrnoOf(c.Err))
		mark, col := "✗", colorErr
		suffix := ""
		if c.Expected {
			mark, col = "✓", colorOK
			suffix = " " + r.cat.T("call.expected")
		}
		if name == "" {
			name = c.Err.Error()
		}
		r.printf("  %s %s %s → %s%s%s\n", r.paint(col, mark), tag, r.paint(colorCode, call), r.paint(colorErr, name), comment, suffix)
		lines := r.explainFor(c.Err, c.Proto)
		if c.Expected && len(lines) > 1 {
			lines = lines[:1] // what it means; what to do about it is not needed
		}
		for _, line := range lines {
			r.printf("      %s\n", line)
		}
	}
	if c.Data != nil {
		r.printf("      %s\n", r.cat.T("call.data", len(c.Data), r.paint(colorData, `"`+escape.Bytes(c.Data)+`"`)))
	}
	if c.Note != "" {
		r.printf("      %s\n", r.cat.T(c.Note))
	}
	if c.From.IsValid() {
		r.printf("      %s\n", r.cat.T("call.from", c.From))
	}
}

func (r *Runner) printFacts(fs []lessons.Facts) {
	if len(fs) == 0 {
		return
	}
	r.printf("  %s\n", r.paint(colorHead, r.cat.T("facts.title")))
	if r.opts.Compact {
		r.printFactsCompact(fs)
		return
	}
	for _, f := range fs {
		who, ext := r.whoFacts(f)
		head := fmt.Sprintf("%s (%s) · %s", f.Name, who, strings.ToUpper(string(f.Proto)))
		switch {
		case f.External:
			r.printf("    %s · %s\n", head, ext)
			continue
		case f.Closed:
			head += " · " + r.cat.T("facts.closed")
		default:
			head += " · fd " + fmt.Sprint(f.FD)
		}
		if f.State != "" {
			head += " · " + r.paint(colorState, f.State)
		}
		r.printf("    %s\n", head)
		if f.Closed {
			switch {
			case f.Proto != lessons.TCP:
			case f.Limited:
				r.printf("      %s\n", r.cat.T("facts.limited"))
			case f.State == "" && f.Remote.IsValid():
				r.printf("      %s\n", r.cat.T("facts.gone"))
			case f.State == "":
			default:
				r.printf("      %s\n", r.cat.T("facts.lingers", f.Local, f.Remote, f.State))
			}
			continue
		}
		r.printf("      %s %s   %s %s\n", r.cat.T("facts.local"), addrOr(f.Local, "—"), r.cat.T("facts.peer"), addrOr(f.Remote, "—"))
		switch {
		case f.State == "LISTEN" && f.AcceptQ >= 0:
			r.printf("      %s\n", r.cat.T("facts.acceptq", f.AcceptQ, f.Backlog))
		case f.RecvQ >= 0 && f.Proto == lessons.UDP:
			r.printf("      %s   %s\n", r.cat.T("facts.udp-recvq", f.RecvQ), r.cat.T("facts.udp-sendq", f.SendQ))
		case f.RecvQ >= 0 && f.Unsent > 0:
			// Bytes the peer's window has not let out yet: SIOCOUTQ alone
			// would pass them off as sent (tcp(7), SIOCOUTQNSD).
			r.printf("      %s   %s\n      %s\n", r.cat.T("facts.recvq", f.RecvQ), r.cat.T("facts.sendq", f.SendQ), r.cat.T("facts.unsent", f.Unsent))
		case f.RecvQ >= 0:
			r.printf("      %s   %s\n", r.cat.T("facts.recvq", f.RecvQ), r.cat.T("facts.sendq", f.SendQ))
		case f.Limited:
			r.printf("      %s\n", r.cat.T("facts.limited"))
		}
	}
}

func addrOr(a interface {
	IsValid() bool
	String() string
}, def string) string {
	if !a.IsValid() {
		return def
	}
	return a.String()
}

// explain turns an error into sentences from the catalog: what the errno
// means, and what to do about it.
func (r *Runner) explain(err error) []string { return r.explainFor(err, "") }

// explainFor explains an error of a call on a socket of protocol proto
// ("" when unknown): where an errno means something else for UDP than
// for TCP, the catalog has "errno.NAME.udp" (and its ".hint").
func (r *Runner) explainFor(err error, proto lessons.Proto) []string {
	if errno := lessons.ErrnoOf(err); errno != 0 {
		name := lessons.ErrnoName(errno)
		key := "errno." + name
		if proto != "" && r.cat.Has(key+"."+string(proto)) {
			key += "." + string(proto)
		}
		var out []string
		if r.cat.Has(key) {
			out = append(out, r.cat.T(key))
		} else {
			out = append(out, r.cat.T("errno.other", name, errno.Error()))
		}
		switch hint := key + ".hint"; {
		case r.cat.TakesArgs(hint):
			out = append(out, r.cat.T(hint, r.hintPort(name)))
		case r.cat.Has(hint):
			out = append(out, r.cat.T(hint))
		}
		return out
	}
	if lines, ok := ErrorText(r.cat, err); ok {
		return lines
	}
	return []string{err.Error()}
}

// hintPort is the port an errno's hint names: the run's own port (the
// port in use, for EADDRINUSE), except for EACCES, where the run's port is
// the one refused and the hint offers the port a run without --port takes
// (lessons.ChooseDefaultPort: 7788, or this user's own when another user
// holds it), not a fixed 7788.
func (r *Runner) hintPort(errno string) int {
	if errno == "EACCES" {
		port, _ := lessons.ChooseDefaultPort()
		return port
	}
	return r.opts.Session.Port
}

// ErrorText says one of the lessons package's errors in the learner's
// language: the catalog's sentence, then, for a lesson author's mistake,
// the detail (in English, as the author's tools write it); an experiment
// that could not measure (lessons.LabError) in its own sentence. ok is
// false for any other error.
func ErrorText(cat *content.Catalog, err error) (lines []string, ok bool) {
	var le *lessons.LabError
	if errors.As(err, &le) {
		return []string{cat.T("err.lab"), cat.T(le.Key, le.Args...)}, true
	}
	for _, e := range []struct {
		err    error
		key    string
		detail bool
	}{
		{lessons.ErrNotLocal, "err.not-local", false},
		{lessons.ErrBadHost, "err.bad-host", false},
		{lessons.ErrBadPort, "err.bad-port", false},
		{lessons.ErrFamily, "err.family", true},
		{lessons.ErrWaited, "err.waited", false},
		{lessons.ErrLesson, "err.lesson", true},
	} {
		if errors.Is(err, e.err) {
			if !e.detail {
				return []string{cat.T(e.key)}, true
			}
			return []string{cat.T(e.key), cat.T("err.detail", err.Error())}, true
		}
	}
	return nil, false
}

// printFactsCompact writes one line per socket (--compact): name, state,
// local → peer, and the queue that matters for it.
func (r *Runner) printFactsCompact(fs []lessons.Facts) {
	for _, f := range fs {
		who, ext := r.whoFacts(f)
		parts := []string{fmt.Sprintf("%s (%s) %s", f.Name, who, strings.ToUpper(string(f.Proto)))}
		switch {
		case f.External:
			parts = append(parts, ext)
		case f.Closed:
			parts = append(parts, r.cat.T("facts.closed"))
		default:
			parts = append(parts, "fd "+fmt.Sprint(f.FD))
		}
		if f.State != "" {
			parts = append(parts, r.paint(colorState, f.State))
		}
		if !f.Closed && !f.External {
			parts = append(parts, addrOr(f.Local, "—")+" → "+addrOr(f.Remote, "—"))
			switch {
			case f.State == "LISTEN" && f.AcceptQ >= 0:
				parts = append(parts, r.cat.T("facts.acceptq", f.AcceptQ, f.Backlog))
			case f.RecvQ > 0 || f.SendQ > 0:
				parts = append(parts, fmt.Sprintf("in %d B, out %d B", f.RecvQ, f.SendQ))
			}
		}
		r.printf("    %s\n", strings.Join(parts, " · "))
	}
}
