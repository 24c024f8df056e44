package runner

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/sockstep/sockstep/lessons"
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

// timelineAt draws the timeline for a screen (or a transcript) of width
// columns.
func (r *Runner) timelineAt(events lessons.Timeline, socks []*lessons.Socket, header bool, width int) string {
	width -= 2
	if width > 100 {
		width = 100
	}
	mid := 21
	col := (width - mid) / 2
	var b strings.Builder
	row := func(left, middle, right string) {
		line := pad(left, col) + pad(middle, mid) + right
		b.WriteString("  " + strings.TrimRight(line, " ") + "\n")
	}
	if header {
		row(r.paint(colorHead, r.cat.T("timeline.client", r.sideOwner(socks, lessons.Client))), "",
			r.paint(colorHead, r.cat.T("timeline.server", r.sideOwner(socks, lessons.Server))))
		row(strings.Repeat("─", col-1), "", strings.Repeat("─", col-1))
	}
	for _, e := range events {
		text := ""
		switch e.Kind {
		case lessons.EventCall:
			text = shortenCall(e.Text, col-1)
		case lessons.EventState:
			from := e.From
			if from == "" {
				from = "·"
			}
			state := "[" + from + " → " + e.To + "]"
			if ansi.StringWidth(state) > col-1 {
				state = "[→ " + e.To + "]" // the state it is in now matters most
			}
			text = r.paint(colorState, ansi.Truncate(state, col-1, "…"))
		case lessons.EventWire, lessons.EventWireMore:
			b.WriteString(strings.TrimRight(r.wireRow(e, col*2+mid-2), " ") + "\n")
			continue
		case lessons.EventPacket:
			label := e.Text
			if e.Text == "data" || e.Text == "datagram" {
				label = r.cat.T("timeline."+e.Text, e.Bytes)
			}
			arrow := packetArrow(label, mid-1, e.Side == lessons.Client)
			row("", r.paint(colorData, arrow), "")
			continue
		}
		if e.Side == lessons.Client {
			row(text, "", "")
		} else {
			row("", "", text)
		}
	}
	return b.String()
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
// result: the result is what the row is there to show.
func shortenCall(text string, width int) string {
	if ansi.StringWidth(text) <= width {
		return text
	}
	i := strings.Index(text, " → ")
	if i < 0 {
		return ansi.Truncate(text, width, "…")
	}
	call, res := text[:i], text[i:]
	closing := ""
	if strings.HasSuffix(call, ")") {
		closing = ")"
	}
	room := width - ansi.StringWidth(res) - ansi.StringWidth(closing) - 1 // 1 for "…"
	if name, _, ok := strings.Cut(call, "("); ok && room < ansi.StringWidth(name)+1 {
		// Not even the call's name fits beside the result: the name and
		// the result, cut at the end if need be.
		return ansi.Truncate(name+"(…)"+res, width, "…")
	}
	if room < 1 {
		return ansi.Truncate(text, width, "…")
	}
	return ansi.Truncate(call, room, "") + "…" + closing + res
}
