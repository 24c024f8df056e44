//go:build !windows

package runner

import (
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
)

// TestLessonParity: every lesson exists in every language, with the same
// steps running the same directives (wording aside).
func TestLessonParity(t *testing.T) {
	byLang := map[content.Lang]map[string]*content.Lesson{}
	for _, lang := range content.Langs {
		ls, err := content.Builtin(lang, "")
		if err != nil {
			t.Fatal(err)
		}
		byLang[lang] = map[string]*content.Lesson{}
		for _, l := range ls {
			byLang[lang][l.ID] = l
		}
	}
	zh, en := byLang[content.Chinese], byLang[content.English]
	if len(zh) == 0 {
		t.Fatal("no lessons found")
	}
	for id := range zh {
		if en[id] == nil {
			t.Errorf("lesson %s exists in Chinese but not in English", id)
		}
	}
	for id, e := range en {
		z := zh[id]
		if z == nil {
			t.Errorf("lesson %s exists in English but not in Chinese", id)
			continue
		}
		if z.Kind != e.Kind || z.Order != e.Order {
			t.Errorf("%s: kind/order differ: zh %s/%d, en %s/%d", id, z.Kind, z.Order, e.Kind, e.Order)
		}
		if len(z.Steps) != len(e.Steps) {
			t.Errorf("%s: zh has %d steps, en has %d", id, len(z.Steps), len(e.Steps))
			continue
		}
		for i := range e.Steps {
			zs, es := signatures(z.Steps[i]), signatures(e.Steps[i])
			if zs != es {
				t.Errorf("%s step %d: directives differ\n  zh: %s\n  en: %s", id, i+1, zs, es)
			}
		}
	}
}

func signatures(st content.Step) string {
	var out []string
	for _, d := range st.Directives {
		out = append(out, lessons.Signature(d))
	}
	return strings.Join(out, "; ")
}

// TestLessonsCheck: every built-in lesson passes the same checks an
// instructor's lesson would.
func TestLessonsCheck(t *testing.T) {
	for _, lang := range content.Langs {
		ls, err := content.Builtin(lang, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			for _, err := range lessons.Check(l) {
				t.Errorf("%s/%s: %v", lang, l.ID, err)
			}
			if l.Summary == "" {
				t.Errorf("%s/%s has no summary for the menu", lang, l.ID)
			}
		}
	}
}

// factsPattern is a kernel fact the plain run of a lesson must show.
type factsPattern struct {
	what string
	re   string
	// label marks a pattern that quotes an English label; it is checked
	// on the English run only (the calls are checked in every language).
	label bool
}

// TestLessonsEndToEnd runs every lesson, in both languages, without a
// terminal, as CI and `--auto` do, and checks the kernel facts it prints.
func TestLessonsEndToEnd(t *testing.T) {
	want := map[string][]factsPattern{
		"udp-recv": {
			{"bound address", `local 127\.0\.0\.1:\d+`, true},
			{"bind on a foreign address fails", `bind\(\d+, 192\.0\.2\.1:\d+\) → EADDRNOTAVAIL`, false},
			{"datagram and its sender", `recvfrom\(\d+, 1024, 0\) = \d+, 127\.0\.0\.1:\d+`, false},
		},
		"tcp-server": {
			{"listening", `· LISTEN`, false},
			{"handshake done before accept", `accept queue: 1 waiting`, true},
			{"accepted connection", `accept\(\d+\) = fd \d+, 127\.0\.0\.1:\d+`, false},
			{"both sides established", `ESTABLISHED`, false},
			{"port in use", `EADDRINUSE`, false},
			{"caller hung up", `0 bytes: the peer's FIN arrived`, true},
			{"close wait", `CLOSE_WAIT`, false},
			{"time wait on the caller, read from the kernel", `(?m)^\s+c1 \(.* · TIME_WAIT$`, false},
			{"bytes waiting in conn after the caller spoke", `waiting to be read: 13 B`, true},
			{"bind on the notes' LAN address fails", `bind\(\d+, 192\.0\.2\.1:\d+\) → EADDRNOTAVAIL`, false},
		},
		"tcp-client": {
			{"refused", `ECONNREFUSED`, false},
			{"connected", `connect\(\d+, 127\.0\.0\.1:\d+\) = 0`, false},
			{"handshake", `SYN-ACK`, false},
			{"time wait after closing first, read from the kernel", `(?m)^\s+c \(.* · TIME_WAIT$`, false},
		},
		"udp-send": {
			{"datagram sent", `sendto\(\d+, .*\) = \d+`, false},
			{"receiver sees it", `recvfrom\(\d+, 1024, 0\) = \d+, 127\.0\.0\.1:\d+`, false},
		},
		"intro": {
			{"loopback interface", `127\.0\.0\.1`, false},
			{"port in use", `EADDRINUSE`, false},
		},
	}
	for _, lang := range content.Langs {
		ls, err := content.Builtin(lang, content.KindLesson)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			t.Run(string(lang)+"/"+l.ID, func(t *testing.T) {
				before, goroutines := len(sockettest.Sockets(t)), runtime.NumGoroutine()
				out, err := plainRun(t, lang, l.ID)
				if err != nil {
					t.Fatalf("lesson failed: %v\n%s", err, tail(out, 3000))
				}
				if !strings.Contains(out, content.Text(lang).T("lesson.done", l.Title)) {
					t.Errorf("the lesson did not reach its end")
				}
				pats, ok := want[l.ID]
				if !ok {
					t.Fatalf("no kernel facts are checked for lesson %s: add them to this test", l.ID)
				}
				for _, p := range pats {
					if lang != content.English && p.label {
						continue
					}
					if !regexp.MustCompile(p.re).MatchString(out) {
						t.Errorf("%s: no match for %s in the output", p.what, p.re)
					}
				}
				if after := len(sockettest.Sockets(t)); after != before {
					t.Errorf("open sockets: %d before, %d after", before, after)
				}
				// A lesson runs in the caller's goroutine and starts none
				// that outlive it.
				if after := goroutinesAfter(goroutines); after > goroutines {
					t.Errorf("goroutines: %d before, %d after the lesson", goroutines, after)
				}
			})
		}
	}
}
