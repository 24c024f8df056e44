//go:build linux

package runner

import (
	"bytes"
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
	"github.com/sockstep/sockstep/lessons/wire"
)

// TestWireScreens runs lessons with a packet capture, in both languages
// and in compact mode: the captured packets are shown (between the columns
// of a two-party timeline, or listed), one line each in compact mode, no
// line wider than 80 columns, nothing drawn from the calls.
func TestWireScreens(t *testing.T) {
	for _, lang := range content.Langs {
		ls, err := content.Builtin(lang, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"tcp-client", "refused", "boundaries"} {
			i := slices.IndexFunc(ls, func(l *content.Lesson) bool { return l.ID == id })
			if i < 0 {
				t.Fatalf("no lesson %s", id)
			}
			t.Run(string(lang)+"/"+id, func(t *testing.T) {
				c, err := wire.Open(wire.Options{Snap: wire.HeaderSnap})
				if errors.Is(err, wire.ErrNoPrivilege) && os.Geteuid() != 0 {
					t.Skip("capturing needs CAP_NET_RAW")
				}
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				var out bytes.Buffer
				// The other lessons' packets may not fit a compact screen,
				// which then says so instead; they run at full size here.
				r, err := New(Options{Lang: lang, Out: &out, Compact: id == "tcp-client", Session: lessons.Config{Port: sockettest.FreePort(t), Wire: c}, StepWait: 5 * time.Second})
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				defer cancel()
				if err := r.Run(ctx, ls[i]); err != nil {
					t.Fatalf("%v\n%s", err, tail(out.String(), 2000))
				}
				text := out.String()
				for _, line := range strings.Split(text, "\n") {
					if w := ansi.StringWidth(line); w > 80 {
						t.Errorf("line %d columns wide: %q", w, line)
					}
				}
				cat := content.Text(lang)
				if !strings.Contains(text, cat.T("wire.captured")) || strings.Contains(text, cat.T("wire.drawn")) {
					t.Errorf("not marked as captured:\n%s", tail(text, 3000))
				}
				want := map[string]string{"tcp-client": "SYN-ACK Seq=0 Ack=1", "refused": cat.T("wire.unreachable", 0, 0)[:10], "boundaries": "PSH-ACK Seq=4 Ack=1"}[id]
				if !strings.Contains(text, want) {
					t.Errorf("output lacks %q:\n%s", want, tail(text, 3000))
				}
				if strings.Contains(text, "─── SYN ───") {
					t.Error("a drawn SYN in a captured run")
				}
			})
		}
	}
}
