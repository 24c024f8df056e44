package main

import (
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"
)

// TestHelpVerifyExitStatuses: `sockstep help verify` gives every exit
// status verify can end with, in both languages (it gave 0, 1 and 2 and
// left out the statuses of an interruption).
func TestHelpVerifyExitStatuses(t *testing.T) {
	for _, lang := range []content.Lang{content.English, content.Chinese} {
		text := content.Text(lang).T("help.verify")
		for _, want := range []string{"0 ", "1 ", "2 ", "130", "129", "143", "SIGINT", "SIGHUP", "SIGTERM"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: help verify does not give the exit status %q:\n%s", lang, want, text)
			}
		}
	}
}
