package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons/wire"
	"github.com/sockstep/sockstep/runner"
)

// wireRun is the packet capture of one run (--wire, --pcap): opened
// before the lesson's first call, closed on every path after its last.
type wireRun struct {
	capture *wire.Capture
	pcap    *os.File
	path    string
	drawn   bool // the timeline is drawn from the calls
	hint    bool // say how to see the real packets
}

// startWire opens the capture --wire asks for. auto captures when it can
// and otherwise draws the timeline with a hint; on fails when it cannot;
// off draws. --pcap needs a capture.
func startWire(c *cli) (*wireRun, int) {
	f, cat, e := c.o, c.cat, c.env
	w := &wireRun{path: f.pcap}
	switch f.wire {
	case "off":
		if f.pcap == "" {
			w.drawn = true
			return w, exitOK
		}
		fmt.Fprintln(e.stderr, cat.T("wire.pcap-needs-capture"))
		return nil, exitUsage
	case "on", "auto":
	default:
		fmt.Fprintln(e.stderr, cat.T("wire.bad-mode", f.wire))
		return nil, exitUsage
	}
	opt := wire.Options{Snap: wire.HeaderSnap}
	if f.pcap != "" {
		pf, err := os.Create(f.pcap)
		if err != nil {
			// Said before the lesson starts, as --record's is.
			fmt.Fprintln(e.stderr, fillTo(e.stderr, cat.T("wire.pcap-refused", f.pcap, content.OSText(cat, err))))
			return nil, exitUsage
		}
		w.pcap = pf
		opt = wire.Options{Pcap: pf}
	}
	capture, err := wire.Open(opt)
	if err != nil {
		why := cat.T("wire.unavailable")
		if errors.Is(err, wire.ErrNoPrivilege) {
			why = cat.T("wire.no-privilege")
		}
		if f.wire == "on" || f.pcap != "" {
			flag := "--wire on"
			if f.wire != "on" {
				flag = "--pcap"
			}
			fmt.Fprintln(e.stderr, cat.T("wire.cannot", flag, why))
			if w.pcap != nil {
				w.pcap.Close()
				os.Remove(f.pcap)
			}
			return nil, exitFail
		}
		w.drawn, w.hint = true, true
		return w, exitOK
	}
	w.capture = capture
	return w, exitOK
}

// adjust gives the runner the capture, or tells it the timeline is drawn.
func (w *wireRun) adjust(o *runner.Options) {
	if w.capture != nil {
		o.Session.Wire = w.capture
	}
	o.Drawn, o.WireHint = w.drawn, w.hint
}

// close stops the capture, reports drops and finishes the pcap file.
func (w *wireRun) close(c *cli) {
	cat, e := c.cat, c.env
	if w.capture != nil {
		if st, err := w.capture.Stats(); err == nil && st.Drops > 0 {
			fmt.Fprintln(e.stderr, cat.T("wire.drops", st.Drops))
		}
		if err := w.capture.Close(); err != nil {
			fmt.Fprintln(e.stderr, cat.T("wire.pcap-failed", w.path, content.OSText(cat, err)))
		}
		w.capture = nil
	}
	if w.pcap != nil {
		if err := w.pcap.Close(); err != nil {
			fmt.Fprintln(e.stderr, cat.T("wire.pcap-failed", w.path, content.OSText(cat, err)))
		} else if w.path != "" {
			fmt.Fprintln(e.stderr, cat.T("wire.pcap-written", w.path))
		}
		w.pcap = nil
	}
}
