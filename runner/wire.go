package runner

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/wire"
)

// wireRow draws a captured packet as an arrow across the whole timeline,
// from the side that sent it: flags and numbers as Wireshark shows them.
func (r *Runner) wireRow(e lessons.Event, width int) string {
	if e.Kind == lessons.EventWireMore {
		return "  " + r.paint(colorDim, r.cat.T("wire.more", e.Count, e.Bytes))
	}
	toServer := e.Side != lessons.Server
	label, opts := r.wireLabel(e.Wire, true)
	if opts == "" {
		return "  " + r.paint(colorData, packetArrow(label, width, toServer))
	}
	// A SYN's options join its line when they fit, or in compact mode
	// (one line per packet); otherwise they go on a line of their own.
	if one := label + " " + opts; r.opts.Compact || ansi.StringWidth(one)+6 <= width {
		return "  " + r.paint(colorData, packetArrow(one, width, toServer))
	}
	return "  " + r.paint(colorData, packetArrow(label, width, toServer)) + "\n" +
		"  " + r.paint(colorDim, centre(opts, width))
}

// centre puts s in the middle of width columns.
func centre(s string, width int) string {
	w := ansi.StringWidth(s)
	if w >= width {
		return ansi.Truncate(s, width, "…")
	}
	return strings.Repeat(" ", (width-w)/2) + s
}

// wireLabel is one packet as Wireshark would sum it up, e.g.
// "SYN Seq=0 Win=65495 Len=0", and a SYN's options and ISN apart, e.g.
// "MSS=65495 WS=128 SACK_PERM TS ISN=1234".
func (r *Runner) wireLabel(p *wire.Packet, ports bool) (string, string) {
	var b, o strings.Builder
	switch p.Proto {
	case wire.UDP:
		if ports {
			fmt.Fprintf(&b, "UDP %d → %d Len=%d", p.Src.Port(), p.Dst.Port(), p.Len)
		} else {
			fmt.Fprintf(&b, "UDP Len=%d", p.Len)
		}
	case wire.ICMP:
		if q := p.Quoted; q != nil {
			b.WriteString(r.cat.T("wire.unreachable", q.Src.Port(), q.Dst.Port()))
		} else {
			b.WriteString(r.cat.T("wire.unreachable-unknown"))
		}
	default:
		fmt.Fprintf(&b, "%s Seq=%d", p.Flags, p.Seq)
		if strings.Contains(p.Flags, "ACK") {
			fmt.Fprintf(&b, " Ack=%d", p.Ack)
		}
		fmt.Fprintf(&b, " Win=%d Len=%d", p.Win, p.Len)
		if p.Retransmit {
			b.WriteString(" " + r.cat.T("wire.retransmission"))
		}
		if opt := p.Opts; opt != nil {
			fmt.Fprintf(&o, "ISN=%d", p.ISN)
			if opt.MSS > 0 {
				fmt.Fprintf(&o, " MSS=%d", opt.MSS)
			}
			if opt.WScale >= 0 {
				fmt.Fprintf(&o, " WS=%d", 1<<opt.WScale)
			}
			if opt.SACKPerm {
				o.WriteString(" SACK_PERM")
			}
			if opt.TS {
				o.WriteString(" TS")
			}
		}
	}
	return b.String(), o.String()
}

// wireTitle says where the step's packets come from: the capture, or
// drawn from the calls when the session does not capture.
func (r *Runner) wireTitle(sess *lessons.Session) string {
	switch {
	case sess.Captured():
		return " " + r.paint(colorDim, r.cat.T("wire.captured"))
	case r.opts.Drawn:
		return " " + r.paint(colorDim, r.cat.T("wire.drawn"))
	}
	return ""
}

// wireHint says once per run how to see the real packets, when the
// session could not capture them.
func (r *Runner) wireHint() {
	if !r.opts.WireHint || r.hinted {
		return
	}
	r.hinted = true
	r.printf("  %s\n", r.paint(colorDim, r.cat.T("wire.hint")))
}

// stepPackets lists the packets captured during a step of a lesson that
// has no two-party timeline (one side only, or an experiment), one line
// each with its addresses.
//
// Without a capture there is nothing to list: the first step that made
// calls says, once, how to see its packets.
func (r *Runner) stepPackets(sess *lessons.Session, used *bytes.Buffer) {
	var fresh lessons.Timeline
	for _, e := range sess.Timeline() {
		if e.Seq > r.wireSeq {
			fresh = append(fresh, e)
			r.wireSeq = max(r.wireSeq, e.Seq)
		}
	}
	if !sess.Captured() {
		if len(fresh) > 0 {
			r.wireHint()
		}
		return
	}
	if r.opts.Compact {
		fresh = foldWire(fresh, compactWire)
	}
	var b strings.Builder
	for _, e := range fresh {
		switch e.Kind {
		case lessons.EventWireMore:
			b.WriteString("  " + r.paint(colorDim, r.cat.T("wire.more", e.Count, e.Bytes)) + "\n")
		case lessons.EventWire:
			p := e.Wire
			label, opts := r.wireLabel(p, false)
			from, to := p.Src.String(), p.Dst.String()
			if p.Proto == wire.ICMP {
				from, to = p.Src.Addr().String(), p.Dst.Addr().String()
			}
			line := fmt.Sprintf("%s → %s  %s", from, to, label)
			if opts != "" {
				line += " " + opts
			}
			b.WriteString("  " + r.paint(colorData, ansi.Truncate(line, r.opts.Width-2, "…")) + "\n")
		}
	}
	if b.Len() == 0 {
		return
	}
	list := b.String()
	if r.opts.Compact && used != nil && strings.Count(used.String(), "\n")+strings.Count(list, "\n")+3+r.reserve > compactScreen {
		r.printf("  %s\n", r.paint(colorDim, r.cat.T("wire.compact-later")))
		return
	}
	r.printf("\n  %s%s\n%s", r.paint(colorHead, r.cat.T("wire.title")), r.wireTitle(sess), list)
}

// compactWire is how many captured packets a compact screen lists per
// step before summing up the rest.
const compactWire = 5

// foldWire keeps the first keep captured packets of a step's events and
// folds the others into one EventWireMore row, put after the last packet
// kept: how many, and the payload bytes of all the step's packets (the
// session's own summary row, if any, already counts those past its
// limit).
func foldWire(events lessons.Timeline, keep int) lessons.Timeline {
	n, total := 0, 0
	for _, e := range events {
		if e.Kind == lessons.EventWire {
			n++
			total += e.Wire.Len
		}
	}
	if n <= keep+1 {
		return events
	}
	folded := lessons.Event{Kind: lessons.EventWireMore, Bytes: total}
	var out lessons.Timeline
	at, seen := 0, 0
	for _, e := range events {
		switch {
		case e.Kind == lessons.EventWire && seen >= keep:
			folded.Count++
			continue
		case e.Kind == lessons.EventWireMore:
			folded.Count += e.Count
			folded.Bytes = e.Bytes
			continue
		}
		out = append(out, e)
		if e.Kind == lessons.EventWire {
			seen++
			at = len(out)
		}
	}
	return slices.Insert(out, at, folded)
}
