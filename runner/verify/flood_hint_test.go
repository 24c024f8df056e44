package verify

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner/verify/proc"
)

// TestFloodHintNamesTheCap: the flooded hint names the cap the program
// reached, in both languages: 60 KB datagrams are stopped by the 1 MiB
// byte cap after 17 of them, and the hint said "over 10000 datagrams".
func TestFloodHintNamesTheCap(t *testing.T) {
	stopped := proc.Result{Stopped: true, Code: -1, Signal: "terminated"}
	var r udpReceiver
	for {
		if ok, _ := r.keep(60000); !ok {
			break
		}
	}
	_, bytesFull := r.keep(60000)
	r = udpReceiver{}
	for {
		if ok, _ := r.keep(1); !ok {
			break
		}
	}
	_, countFull := r.keep(1)
	for _, c := range []struct {
		name, exercise string
		o              *Observation
		want           map[content.Lang]string
		not            string
	}{
		{"big datagrams", "udp-send", &Observation{Host: host, Reached: true, Exit: stopped, DatagramsOverflowed: true, DatagramCap: bytesFull},
			map[content.Lang]string{content.English: "over 1 MiB of datagrams", content.Chinese: "数据报合计超过 1 MiB"}, "10000"},
		{"many datagrams", "udp-send", &Observation{Host: host, Reached: true, Exit: stopped, DatagramsOverflowed: true, DatagramCap: countFull},
			map[content.Lang]string{content.English: "over 10000 datagrams", content.Chinese: "超过 10000 个数据报"}, "MiB"},
		{"one connection", "tcp-client", &Observation{Host: host, Reached: true, Exit: stopped,
			Conns: []Conn{{Received: []byte(strings.Repeat("A", maxReceived)), Overflowed: true}}},
			map[content.Lang]string{content.English: "over 256 KiB on one connection", content.Chinese: "一个连接上超过 256 KiB"}, "datagram"},
	} {
		ex := registry[c.exercise]
		hs := diagnose(ex, c.o, ex.want(c.o), ex.got(c.o), time.Second)
		i := slices.IndexFunc(hs, func(h Hint) bool { return h.Key == "verify.hint.flooded" })
		if i < 0 {
			t.Fatalf("%s: hints %v, want flooded", c.name, hs)
		}
		for lang, want := range c.want {
			text := showHint(content.Text(lang), hs[i])
			if !strings.Contains(text, want) || strings.Contains(text, c.not) || strings.Contains(text, "%!") {
				t.Errorf("%s, %s: the hint does not name the cap reached (%q):\n%s", c.name, lang, want, text)
			}
		}
	}
}
