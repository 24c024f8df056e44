//go:build linux

package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
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

// TestWireScreens runs lessons with a packet capture, in both languages,
// at 80 and 60 columns and in compact mode: the captured packets are shown
// (between the columns of a two-party timeline, or listed), every field
// whole (a SYN's options, the ports an ICMP error quotes), no line wider
// than the screen, nothing drawn from the calls. In compact mode the
// experiments' packets are listed as far as the screen has room.
func TestWireScreens(t *testing.T) {
	for _, lang := range content.Langs {
		ls, err := content.Builtin(lang, "")
		if err != nil {
			t.Fatal(err)
		}
		cat := content.Text(lang)
		icmp := regexp.MustCompile(strings.ReplaceAll(regexp.QuoteMeta(cat.T("wire.unreachable", 11111, 22222)), "11111", `\d+`))
		icmp = regexp.MustCompile(strings.ReplaceAll(icmp.String(), "22222", `\d+`))
		for _, c := range []struct {
			id      string
			width   int
			compact bool
			want    []string
			icmp    bool
		}{
			{"tcp-client", 80, true, []string{"SYN-ACK Seq=0 Ack=1", "SACK_PERM TS"}, false},
			{"tcp-client", 60, false, []string{"SYN-ACK Seq=0 Ack=1", "SACK_PERM TS"}, false},
			{"refused", 80, false, []string{"MSS=", "SACK_PERM TS", "RST-ACK Seq=0 Ack=1 Win=0 Len=0"}, true},
			{"refused", 60, false, []string{"MSS=", "SACK_PERM TS", "RST-ACK Seq=0 Ack=1 Win=0 Len=0"}, true},
			// Compact: step 3's SYN and RST-ACK, and reset's RSTs, come
			// after a full first screen; they go on the next one (they
			// were left out).
			{"refused", 80, true, []string{"RST-ACK Seq=0 Ack=1 Win=0 Len=0"}, true},
			{"reset", 80, true, []string{"RST-ACK Seq=1 Ack=1", "RST Seq=2"}, false},
			{"boundaries", 80, false, []string{"PSH-ACK Seq=4 Ack=1"}, false},
		} {
			i := slices.IndexFunc(ls, func(l *content.Lesson) bool { return l.ID == c.id })
			if i < 0 {
				t.Fatalf("no lesson %s", c.id)
			}
			name := fmt.Sprintf("%s/%s/%d", lang, c.id, c.width)
			if c.compact {
				name += "/compact"
			}
			t.Run(name, func(t *testing.T) {
				cp, err := wire.Open(wire.Options{Snap: wire.HeaderSnap})
				if errors.Is(err, wire.ErrNoPrivilege) && os.Geteuid() != 0 {
					t.Skip("capturing needs CAP_NET_RAW")
				}
				if err != nil {
					t.Fatal(err)
				}
				defer cp.Close()
				var out bytes.Buffer
				r, err := New(Options{Lang: lang, Out: &out, Width: c.width, Compact: c.compact, Session: lessons.Config{Port: sockettest.FreePort(t), Wire: cp}, StepWait: 5 * time.Second})
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
					if w := ansi.StringWidth(line); w > c.width {
						t.Errorf("line %d columns wide: %q", w, line)
					}
				}
				if !strings.Contains(text, cat.T("wire.captured")) || strings.Contains(text, cat.T("wire.drawn")) {
					t.Errorf("not marked as captured:\n%s", tail(text, 3000))
				}
				for _, line := range strings.Split(ansi.Strip(text), "\n") {
					if strings.Contains(line, "： ") {
						// The full-width colon carries its own space.
						t.Errorf("a space after a full-width colon: %q", line)
					}
				}
				// Words as the learner reads them, whatever line they are on.
				words := strings.Join(strings.Fields(ansi.Strip(text)), " ")
				for _, want := range c.want {
					if !strings.Contains(words, want) {
						t.Errorf("output lacks %q:\n%s", want, tail(text, 3000))
					}
				}
				if c.icmp && !icmp.MatchString(words) {
					t.Errorf("output lacks the ICMP line with its ports (%s):\n%s", icmp, tail(text, 3000))
				}
				if strings.Contains(text, "─── SYN ───") {
					t.Error("a drawn SYN in a captured run")
				}
			})
		}
	}
}
