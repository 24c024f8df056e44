package main

import (
	"bytes"
	"strings"
	"testing"
	"unicode"

	"github.com/mattn/go-runewidth"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner/verify"
)

// Every help page, in both languages, fits 60 and 80 columns and keeps
// every character of its text (only spaces and line breaks move).
func TestHelpFits(t *testing.T) {
	for _, lang := range content.Langs {
		cat := content.Text(lang)
		for _, width := range []int{60, 80} {
			pages := map[string]string{}
			var b bytes.Buffer
			writeHelp(&b, cat, width)
			pages["help"] = b.String()
			for _, cmd := range commands {
				var b bytes.Buffer
				writeCommandHelp(&b, cat, cmd, width)
				pages[cmd.name] = b.String()
			}
			for name, page := range pages {
				for _, l := range strings.Split(page, "\n") {
					if w := runewidth.StringWidth(l); w > width {
						t.Errorf("%s, help %s at %d columns: a line of %d: %q", lang, name, width, w, l)
					}
				}
			}
			for _, cmd := range commands {
				text := cat.T("help." + cmd.name)
				if cmd.name == "menu" || cmd.name == "help" {
					continue
				}
				if got, want := squeeze(pages[cmd.name]), squeeze(text); !strings.Contains(got, want) {
					t.Errorf("%s, help %s at %d columns lost or changed text:\n%s", lang, cmd.name, width, pages[cmd.name])
				}
			}
		}
	}
}

// squeeze drops every space and line break.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// A paragraph is refilled, joined without a space between Chinese
// characters; a table row hangs under its second column; a command line
// stays a line of its own.
func TestFillHelp(t *testing.T) {
	for _, c := range []struct {
		text  string
		width int
		want  string
	}{
		{"one two\nthree four five\n", 40, "one two three four five\n"},
		{"一二三\n四五六\n", 40, "一二三四五六\n"},
		{"--timeout D   how long the program may take (default 5s)\n", 30,
			"--timeout D   how long the\n              program may take\n              (default 5s)\n"},
		{"prose that goes on:\nsockstep run tcp-server --role server\nmore prose\n", 80,
			"prose that goes on:\nsockstep run tcp-server --role server\nmore prose\n"},
		{"sockstep shows what\nthe kernel says\n", 80, "sockstep shows what the kernel says\n"},
	} {
		if got := fillHelp(c.text, c.width); got != c.want {
			t.Errorf("fillHelp(%q, %d) =\n%s\nwant\n%s", c.text, c.width, got, c.want)
		}
	}
}

// The list of exercises fits 60 columns in both languages.
func TestExerciseListFits(t *testing.T) {
	for _, lang := range content.Langs {
		var list bytes.Buffer
		if err := verify.List(&list, lang); err != nil {
			t.Fatal(err)
		}
		out := fillHelp(list.String(), 60)
		if squeeze(out) != squeeze(list.String()) {
			t.Errorf("%s: the list lost or changed text:\n%s", lang, out)
		}
		for _, l := range strings.Split(out, "\n") {
			if w := runewidth.StringWidth(l); w > 60 {
				t.Errorf("%s: a line of %d columns: %q", lang, w, l)
			}
		}
	}
}
