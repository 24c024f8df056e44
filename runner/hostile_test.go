package runner

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
	"github.com/sockstep/sockstep/runner/escape"
)

// hostileLesson puts terminal escapes in every place a lesson file has
// text: the title, the summary, the intro, a step's title, its prose, its
// after-text, prediction choices and data sent; raw bytes (ESC, BEL, C1
// U+009B, CR, a bidi override) and numeric character references to them,
// which the Markdown renderer would decode.
const hostileLesson = "---\n" +
	"id: hostile\n" +
	"title: Title\x1b]0;pwned\x07\x1b[2J\n" +
	"summary: Summary\u009b2J\n" +
	"---\n" +
	"# Heading\x1b[31m\n\n" +
	"Intro \x1b]52;c;cm0gLXJmIH4K\x07 &#27;[2J &#x9b;31m &#x202e;reversed &#7;bell\n\n" +
	"## Step\x1b[H one\n" +
	"<!-- step: socket u udp -->\n" +
	"Body \x1b]8;;http://example.invalid\x07link\x1b]8;;\x07 safe\rfake\n\n" +
	"> quoted \x1b[5A &#x1B;[6n\n\n" +
	"## Guess\n" +
	"<!-- step: predict choices=\"yes\x1b[2J|no\x07\" answer=1 -->\n" +
	"Pick one.\n" +
	"<!-- after -->\n" +
	"After \x1b[10;10H\u009d0;x\u009c\n"

// unsafeByte describes the first thing in out a terminal would act on
// other than an SGR sequence (colour), or "" when there is none.
func unsafeByte(out string) string {
	for i, r := range out {
		switch {
		case r == 0x1b:
			rest := out[i:]
			j := 2
			for j < len(rest) && (rest[j] >= '0' && rest[j] <= '9' || rest[j] == ';' || rest[j] == ':') {
				j++
			}
			if len(rest) < 3 || rest[1] != '[' || j >= len(rest) || rest[j] != 'm' {
				return fmt.Sprintf("ESC not starting SGR at %d: %q", i, out[max(0, i-20):min(len(out), i+20)])
			}
		case r < 0x20 && r != '\n' && r != '\t', r == 0x7f, r >= 0x80 && r < 0xa0, r == 0x202e:
			return fmt.Sprintf("control %U at %d: %q", r, i, out[max(0, i-20):min(len(out), i+20)])
		}
	}
	return ""
}

func TestHostileLessonText(t *testing.T) {
	l, err := content.Parse("hostile.md", []byte(hostileLesson))
	if err != nil {
		t.Fatal(err)
	}
	l.Lang = content.English
	show := func(opts Options) string {
		var out bytes.Buffer
		opts.Out, opts.Width = &out, 80
		r, err := New(opts)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Show(l); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	list := func() string {
		var out bytes.Buffer
		r, err := New(Options{Out: &out})
		if err != nil {
			t.Fatal(err)
		}
		r.List(Items([]*content.Lesson{l}, nil))
		return out.String()
	}
	run := func() string {
		var out, transcript bytes.Buffer
		r, err := New(Options{Out: &out, Width: 80, Record: &transcript,
			Session: lessons.Config{Port: sockettest.FreePort(t)}, StepWait: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := r.Run(ctx, l); err != nil {
			t.Fatal(err)
		}
		return out.String() + "\n--- transcript ---\n" + transcript.String()
	}
	tests := []struct {
		name string
		out  func() string
		want []string // visible escapes that must be shown
	}{
		{"show, styled", func() string {
			return show(Options{Terminal: true, Style: "dark", Profile: termenv.TrueColor})
		}, []string{`\x1b]52;c;`, `\x1b[2J`, `\u009b31m`}},
		{"show, plain", func() string { return show(Options{}) }, []string{`\x07bell`, `\u202e`}},
		{"list", list, []string{`Title\x1b]0;pwned\x07\x1b[2J`}},
		{"run --auto and its transcript", run, []string{`Step\x1b[H one`, `yes\x1b[2J`, `\x1b[10;10H`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := tt.out()
			if bad := unsafeByte(out); bad != "" {
				t.Errorf("%s", bad)
			}
			for _, w := range tt.want {
				if !strings.Contains(ansi.Strip(out), w) {
					t.Errorf("output lacks the visible %s:\n%s", w, escape.Text(out))
				}
			}
		})
	}
}
