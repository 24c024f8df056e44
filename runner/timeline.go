package runner

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/runner/textwrap"
)

// twoParty reports whether the session has both a client and a server: only
// then is a timeline worth drawing.
func twoParty(socks []*lessons.Socket) bool {
	var c, s bool
	for _, k := range socks {
		c = c || k.Side == lessons.Client
		s = s || k.Side == lessons.Server
	}
	return c && s
}

// sideOwner says whether the learner or sockstep plays a side.
func (r *Runner) sideOwner(socks []*lessons.Socket, side lessons.Side) string {
	for _, k := range socks {
		if k.Side == side && k.External {
			if r.opts.Session.Role != "" {
				return r.cat.T("who.other-terminal")
			}
			return r.cat.T("who.external")
		}
		if k.Side == side && !k.Peer {
			return r.cat.T("who.you")
		}
	}
	return r.cat.T("who.peer")
}

// timeline draws events in two columns, client on the left and server on
// the right, with the packets that cross between them in the middle.
func (r *Runner) timeline(events lessons.Timeline, socks []*lessons.Socket, header bool) string {
	return r.timelineAt(events, socks, header, r.opts.Width)
}

// oneColumnBelow is the width (after the two-column indent) under which
// the timeline is drawn in one column, each row led by its side: two
// columns of 40-column panes (a classroom) hold 7 columns a cell, too few
// for "connect(…) → ECONNREFUSED" or a state change.
const oneColumnBelow = 56

// timelineAt draws the timeline for a screen (or a transcript) of width
// columns.
func (r *Runner) timelineAt(events lessons.Timeline, socks []*lessons.Socket, header bool, width int) string {
	width -= 2
	if width > 100 {
		width = 100
	}
	if width < oneColumnBelow {
		return r.timelineColumn(events, socks, header, width)
	}
	mid := 21
	if width < 78 {
		mid = 17 // a narrower middle leaves the calls more room
	}
	col := (width - mid) / 2
	var b strings.Builder
	row := func(left, middle, right string) {
		line := pad(left, col) + pad(middle, mid) + right
		b.WriteString("  " + strings.TrimRight(line, " ") + "\n")
	}
	if header {
		row(r.paint(colorHead, r.sideHeader(socks, lessons.Client, col-1)), "",
			r.paint(colorHead, r.sideHeader(socks, lessons.Server, col-1)))
		row(strings.Repeat("─", col-1), "", strings.Repeat("─", col-1))
	}
	for _, e := range events {
		switch e.Kind {
		case lessons.EventWire, lessons.EventWireMore:
			b.WriteString(strings.TrimRight(r.wireRow(e, col*2+mid-2), " ") + "\n")
			continue
		case lessons.EventPacket:
			row("", r.paint(colorData, r.packetRow(e, mid-1)), "")
			continue
		}
		for _, text := range strings.Split(r.eventCell(e, col-1), "\n") {
			if e.Side == lessons.Client {
				row(text, "", "")
			} else {
				row("", "", text)
			}
		}
	}
	return b.String()
}

// timelineColumn draws the timeline in one column for a narrow screen:
// each call or state change led by its side ("client", "server"), the
// packets between them as arrows under the calls.
func (r *Runner) timelineColumn(events lessons.Timeline, socks []*lessons.Socket, header bool, width int) string {
	client, server := r.cat.T("timeline.client-short"), r.cat.T("timeline.server-short")
	lead := max(ansi.StringWidth(client), ansi.StringWidth(server)) + 1
	cell := max(width-lead, 8)
	var b strings.Builder
	line := func(s string) { b.WriteString("  " + strings.TrimRight(s, " ") + "\n") }
	if header {
		line(r.paint(colorHead, r.sideHeader(socks, lessons.Client, width)))
		line(r.paint(colorHead, r.sideHeader(socks, lessons.Server, width)))
		line(strings.Repeat("─", width))
	}
	for _, e := range events {
		switch e.Kind {
		case lessons.EventWire, lessons.EventWireMore:
			b.WriteString(strings.TrimRight(r.wireRow(e, width), " ") + "\n")
			continue
		case lessons.EventPacket:
			line(strings.Repeat(" ", lead) + r.paint(colorData, r.packetRow(e, min(21, cell))))
			continue
		}
		side := client
		if e.Side != lessons.Client {
			side = server
		}
		for i, text := range strings.Split(r.eventCell(e, cell), "\n") {
			if i > 0 {
				side = "" // a long result's further lines
			}
			line(pad(side, lead) + text)
		}
	}
	return b.String()
}

// sideHeader is a column's heading, "client (you)", in width columns: with
// a shorter word for who plays it when the long one does not fit ("you"
// for "you, in another terminal").
func (r *Runner) sideHeader(socks []*lessons.Socket, side lessons.Side, width int) string {
	key := "timeline.client"
	if side != lessons.Client {
		key = "timeline.server"
	}
	who := r.sideOwner(socks, side)
	h := r.cat.T(key, who)
	if ansi.StringWidth(h) <= width {
		return h
	}
	short := map[string]string{
		r.cat.T("who.external"):       r.cat.T("who.you"),
		r.cat.T("who.other-terminal"): r.cat.T("who.other-terminal-short"),
	}
	if s, ok := short[who]; ok {
		if h = r.cat.T(key, s); ansi.StringWidth(h) <= width {
			return h
		}
	}
	return ansi.Truncate(h, width, "…")
}

// eventCell is a call or a state change in width columns.
func (r *Runner) eventCell(e lessons.Event, width int) string {
	if e.Kind == lessons.EventState {
		from := e.From
		if from == "" {
			from = "·"
		}
		state := "[" + from + " → " + e.To + "]"
		if ansi.StringWidth(state) > width {
			state = "[→ " + e.To + "]" // the state it is in now matters most
		}
		return r.paint(colorState, ansi.Truncate(state, width, "…"))
	}
	if e.Kind == lessons.EventCall {
		return strings.Join(callLines(e.Text, width), "\n")
	}
	return ""
}

// callLines is a call's cell: one line (see shortenCall) when its result
// fits beside at least the call's name, "connect(…) → ECONNREFUSED";
// otherwise the call on a line
// and its result, wrapped at spaces, under it ("accept(…) →", "fd 4,",
// "127.0.0.1:52814"), so that no part of the result is lost.
func callLines(text string, width int) []string {
	i := strings.Index(text, " → ")
	name, _, _ := strings.Cut(text, "(")
	if i < 0 || ansi.StringWidth(name)+3+ansi.StringWidth(text[i:]) <= width || ansi.StringWidth(text) <= width {
		return []string{shortenCall(text, width)}
	}
	call := text[:i]
	if name, _, ok := strings.Cut(call, "("); ok && ansi.StringWidth(call) > width-2 {
		call = name + "(…)"
	}
	out := []string{ansi.Truncate(call, width-2, "…") + " →"}
	for _, l := range textwrap.Line(text[i+len(" → "):], width) {
		out = append(out, ansi.Truncate(l, width, "…"))
	}
	return out
}

// packetRow is a packet drawn from the calls, as an arrow width columns
// wide.
func (r *Runner) packetRow(e lessons.Event, width int) string {
	label := e.Text
	if e.Text == "data" || e.Text == "datagram" {
		label = r.cat.T("timeline."+e.Text, e.Bytes)
	}
	return packetArrow(label, width, e.Side == lessons.Client)
}

// packetArrow draws "── SYN ──▶" (client to server) or "◀── SYN-ACK ─"
// (server to client) in width columns.
func packetArrow(label string, width int, toServer bool) string {
	label = " " + label + " "
	w := ansi.StringWidth(label)
	if w+3 > width {
		label = ansi.Truncate(label, width-3, "…")
		w = ansi.StringWidth(label)
	}
	rest := width - w - 1
	left := rest / 2
	right := rest - left
	if toServer {
		return strings.Repeat("─", left) + label + strings.Repeat("─", right) + "▶"
	}
	return "◀" + strings.Repeat("─", left) + label + strings.Repeat("─", right)
}

// pad fills s with spaces to width display columns, cutting it if longer.
func pad(s string, width int) string {
	w := ansi.StringWidth(s)
	if w > width {
		return ansi.Truncate(s, width, "")
	}
	return s + strings.Repeat(" ", width-w)
}

// shortenCall fits a call's summary, "connect(9, 127.0.0.1:47185) →
// ECONNREFUSED", into width columns by shortening the call and keeping its
// result: the result is what the row is there to show. The arguments go
// first ("connect(9, …) → …", then "connect(…) → …"), then the call's
// name is abbreviated ("conn… → ECONNREFUSED"); only a result wider than
// the cell by itself is cut.
func shortenCall(text string, width int) string {
	if ansi.StringWidth(text) <= width {
		return text
	}
	i := strings.Index(text, " → ")
	if i < 0 {
		return ansi.Truncate(text, width, "…")
	}
	call, res := text[:i], text[i:]
	resW := ansi.StringWidth(res)
	name, _, hasArgs := strings.Cut(call, "(")
	nameW := ansi.StringWidth(name)
	closing := ""
	if strings.HasSuffix(call, ")") {
		closing = ")"
	}
	room := width - resW - ansi.StringWidth(closing) - 1 // 1 for "…"
	switch {
	case hasArgs && room >= nameW+2: // the name, "(" and some arguments
		return ansi.Truncate(call, room, "") + "…" + closing + res
	case hasArgs && nameW+3+resW <= width:
		return name + "(…)" + res
	case width-resW >= 3: // two columns of the name, and "…"
		return ansi.Truncate(name, width-resW, "…") + res
	}
	return ansi.Truncate(strings.TrimPrefix(res, " "), width, "…")
}
