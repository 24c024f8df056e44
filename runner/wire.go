package runner

import (
	"bytes"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/wire"
	"github.com/sockstep/sockstep/runner/textwrap"
)

// wireRow draws a captured packet as an arrow across the whole timeline,
// from the side that sent it: flags and numbers as Wireshark shows them.
// Nothing of it is cut: a SYN's options that do not fit beside the label
// go under the arrow, and a label wider than the arrow leaves on it the
// words that fit, the others under it.
func (r *Runner) wireRow(e lessons.Event, width int) string {
	if e.Kind == lessons.EventWireMore {
		return strings.Join(r.wireMore(e, width+2), "\n")
	}
	toServer := e.Side != lessons.Server
	label, opts := r.wireLabel(e, true)
	arrow := func(s string) string { return "  " + r.paint(colorData, packetArrow(s, width, toServer)) }
	fits := func(s string) bool { return ansi.StringWidth(s)+6 <= width }
	under := func(s string, c color) string {
		var out []string
		for _, l := range textwrap.Line(s, max(width-4, 8)) {
			out = append(out, "  "+r.paint(c, centre(l, width)))
		}
		return strings.Join(out, "\n")
	}
	switch {
	case opts == "" && fits(label):
		return arrow(label)
	case opts != "" && fits(label+" "+opts):
		return arrow(label + " " + opts)
	case fits(label):
		return arrow(label) + "\n" + under(opts, colorDim)
	}
	// As many of the label's words as fit go on the arrow, the rest
	// under it (Line's first line is a prefix of the label).
	head := textwrap.Line(label, max(width-6, 8))[0]
	rest := strings.TrimLeft(label[len(head):], " ")
	row := arrow(head) + "\n" + under(rest, colorData)
	if opts != "" {
		row += "\n" + under(opts, colorDim)
	}
	return row
}

// wireMore is a step's summary row, wrapped to width columns: how many
// packets were not listed and the data of all, and how many the capture
// lost.
func (r *Runner) wireMore(e lessons.Event, width int) []string {
	var out []string
	if e.Count > 0 {
		out = append(out, textwrap.Hang("  "+r.cat.T("wire.more", e.Count, e.Bytes), width, 4)...)
	}
	if e.Dropped > 0 {
		out = append(out, textwrap.Hang("  "+r.cat.T("wire.dropped", e.Dropped), width, 4)...)
	}
	for i, l := range out {
		out[i] = "  " + r.paint(colorDim, strings.TrimPrefix(l, "  "))
	}
	return out
}

// centre puts s in the middle of width columns.
func centre(s string, width int) string {
	w := ansi.StringWidth(s)
	if w >= width {
		return s
	}
	return strings.Repeat(" ", (width-w)/2) + s
}

// wireLabel is one packet as Wireshark would sum it up, e.g.
// "SYN Seq=0 Win=65495 Len=0", with the marks of a retransmission or a
// window update and, when it came a millisecond or more after the step's
// previous packet, how long after ("+40.2 ms": a delayed ACK); and a
// SYN's ISN and options apart, e.g. "ISN=1234 MSS=65495 WS=128 SACK_PERM
// TS".
func (r *Runner) wireLabel(e lessons.Event, ports bool) (string, string) {
	p := e.Wire
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
			// The quoted ports stay on one line: "38186 → 63042".
			ports := fmt.Sprintf("%d → %d", q.Src.Port(), q.Dst.Port())
			b.WriteString(strings.Replace(r.cat.T("wire.unreachable", q.Src.Port(), q.Dst.Port()), ports, glue(ports), 1))
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
			b.WriteString(" " + glue(r.cat.T("wire.retransmission")))
		}
		if p.WindowUpdate {
			b.WriteString(" " + glue(r.cat.T("wire.window-update")))
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
	if e.Gap >= wireGapShown {
		// At the end of the packet's text, its number and unit together.
		gap := glue(r.cat.T("wire.gap", fmt.Sprintf("%.1f", float64(e.Gap.Microseconds())/1000)))
		if o.Len() > 0 {
			o.WriteString(" " + gap)
		} else {
			b.WriteString(" " + gap)
		}
	}
	return b.String(), o.String()
}

// glue joins s's words with no-break spaces, so that a line is not
// broken inside it (textwrap breaks at ASCII spaces only).
func glue(s string) string { return strings.ReplaceAll(s, " ", "\u00a0") }

// wireGapShown is the time after the step's previous packet from which a
// packet's line says how long after it came: loopback hands a packet on
// within microseconds, so a millisecond is a timer (a delayed ACK, a
// retransmission) or the program's own pause.
const wireGapShown = time.Millisecond

// wireTitle says where the step's packets come from: the capture, or
// drawn from the calls when the session does not capture.
// It follows the title after: a space after an ASCII colon, none after a
// full-width one (：), which carries its own.
func (r *Runner) wireTitle(sess *lessons.Session, after string) string {
	var note string
	switch {
	case sess.Captured():
		note = r.cat.T("wire.captured")
	case r.opts.Drawn:
		note = r.cat.T("wire.drawn")
	default:
		return ""
	}
	return afterColon(after) + r.paint(colorDim, note)
}

// wireHint says once per run how to see the real packets, when the
// session could not capture them.
func (r *Runner) wireHint() {
	if !r.opts.WireHint || r.hinted {
		return
	}
	r.hinted = true
	r.printf("  %s\n", r.paint(colorDim, r.cat.T(wireHintKey(runtime.GOOS))))
}

// wireHintKey names the hint for an operating system: on Linux the
// privilege a capture needs; elsewhere sockstep cannot capture at all
// (AF_PACKET is Linux's), so the hint names the tool that can watch
// loopback there: tcpdump on lo0 (macOS, the BSDs), Wireshark with
// Npcap's loopback adapter (Windows).
func wireHintKey(goos string) string {
	switch goos {
	case "linux", "android":
		return "wire.hint"
	case "darwin", "ios", "freebsd", "openbsd", "netbsd", "dragonfly":
		return "wire.hint-lo0"
	}
	return "wire.hint-other"
}

// stepPackets lists the packets captured during a step of a lesson that
// has no two-party timeline (one side only, or an experiment), one packet
// each with its addresses, wrapped under itself rather than cut.
//
// In compact mode the list takes the rows the screen has left: as many
// packets as fit, the others summed up; when not even one fits, it goes
// on the next screen. The transcript has them all.
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
	render := func(events lessons.Timeline) string { return r.packetList(events, r.opts.Width) }
	_, list, ok := r.fitCompact(fresh, render, used, 3)
	if list == "" {
		return
	}
	if !ok {
		// Not even one packet fits what is left of this screen: the list
		// goes on the next one, folded to a whole screen, rather than
		// being left out (the packets a text points at were lost so).
		if r.pager != nil {
			r.pager.pageBreak() // the pager then counts the new screen's rows
		}
		_, list, _ = r.fitCompact(fresh, render, &bytes.Buffer{}, 3)
	}
	head := fmt.Sprintf("\n  %s%s\n", r.paint(colorHead, r.cat.T("wire.title")), r.wireTitle(sess, r.cat.T("wire.title")))
	// The transcript, read at leisure, keeps every packet the screen
	// folded away.
	r.emit(wrapTo(head, r.opts.Width)+list, wrapTo(head, recordWidth)+r.packetList(fresh, recordWidth))
}

// packetList is a step's captured packets, one each with its addresses,
// in width columns: a packet wider than that goes on under itself.
func (r *Runner) packetList(events lessons.Timeline, width int) string {
	var b strings.Builder
	for _, e := range events {
		switch e.Kind {
		case lessons.EventWireMore:
			for _, l := range r.wireMore(e, width) {
				b.WriteString(l + "\n")
			}
		case lessons.EventWire:
			p := e.Wire
			label, opts := r.wireLabel(e, false)
			from, to := p.Src.String(), p.Dst.String()
			if p.Proto == wire.ICMP {
				from, to = p.Src.Addr().String(), p.Dst.Addr().String()
			}
			line := fmt.Sprintf("  %s → %s  %s", from, to, label)
			if opts != "" {
				line += " " + opts
			}
			for i, l := range textwrap.Hang(line, width, wireHang) {
				if i > 0 {
					l = strings.Repeat(" ", wireHang) + r.paint(colorData, strings.TrimLeft(l, " "))
				} else {
					l = "  " + r.paint(colorData, strings.TrimPrefix(l, "  "))
				}
				b.WriteString(l + "\n")
			}
		}
	}
	return b.String()
}

// wireHang is how far a packet's further lines are indented in a list.
const wireHang = 6

// compactMinRows is the fewest rows worth a compact list: a packet and
// the line summing up the others.
const compactMinRows = 2

// fitCompact renders a step's events; in compact mode, with used (what
// the step printed so far) known, it folds the captured packets until
// the rendering and its title (title rows) fit what is left of the
// screen, keeping the notable packets (see foldWire). ok is false when
// not even one packet fits. An empty rendering means nothing to show.
func (r *Runner) fitCompact(events lessons.Timeline, render func(lessons.Timeline) string, used *bytes.Buffer, title int) (lessons.Timeline, string, bool) {
	out := render(events)
	if out == "" || !r.opts.Compact || used == nil {
		return events, out, true
	}
	left := compactScreen - strings.Count(used.String(), "\n") - title
	if r.pager != nil {
		// The pager counts the rows the screen holds (the heading, the
		// answered prediction, lines the terminal wraps) and breaks
		// pageHold rows before the bottom.
		left = r.pager.rows - pageHold - r.pager.used - title
	}
	if left-r.reserve >= compactMinRows {
		left -= r.reserve // the explanation after the results keeps its room
	}
	// Otherwise the explanation goes on the next screen anyway, and the
	// packets take the rows it would not have had.
	n := 0
	for _, e := range events {
		if e.Kind == lessons.EventWire {
			n++
		}
	}
	for keep := n - 2; strings.Count(out, "\n") > left && keep >= 1; keep-- {
		events = foldWire(events, keep)
		out = render(events)
	}
	return events, out, strings.Count(out, "\n") <= left
}

// foldWire keeps keep of a step's captured packets (the first ones and
// the notable ones, as lessons.PickWire chooses) and folds the others
// into one EventWireMore row, put after the last packet kept: how many,
// and the payload bytes of all the step's packets (the session's own
// summary row, if any, already counts those past its limit, and its
// count of lost packets carries over).
func foldWire(events lessons.Timeline, keep int) lessons.Timeline {
	var idx []int
	total := 0
	for i, e := range events {
		if e.Kind == lessons.EventWire {
			idx = append(idx, i)
			total += e.Wire.Len
		}
	}
	if len(idx) <= keep+1 {
		return events
	}
	pick := lessons.PickWire(len(idx), func(i int) bool { return events[idx[i]].Wire.Notable() }, max(keep/2, 1), keep)
	folded := lessons.Event{Kind: lessons.EventWireMore, Bytes: total}
	var out lessons.Timeline
	at, seen := 0, 0
	for _, e := range events {
		switch {
		case e.Kind == lessons.EventWire && !pick[seen]:
			folded.Count++
			seen++
			continue
		case e.Kind == lessons.EventWireMore:
			folded.Count += e.Count
			folded.Bytes = e.Bytes
			folded.Dropped += e.Dropped
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
