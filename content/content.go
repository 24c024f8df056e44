// Package content holds every word a learner reads: lesson Markdown and the
// message catalog, in Chinese and English, embedded in the binary.
//
// Lessons are data, not code. Each lesson is one Markdown file per language;
// every "## " section is one step, and the socket call a step drives is named
// in an HTML comment directive inside that section:
//
//	## Bind an address
//	<!-- step: bind rx -->
//
// so prose can be reworded, translated or reordered without touching Go.
// This package parses that format; it does not know what the directives mean
// (package lessons does).
package content

import (
	"embed"
	"strings"
)

//go:embed lessons text
var files embed.FS

// Lang is a language code for learner-facing text.
type Lang string

// The languages every lesson and message exists in. Chinese comes first: the
// curriculum began as Chinese study notes.
const (
	Chinese Lang = "zh"
	English Lang = "en"
)

// Langs lists the supported languages in menu order.
var Langs = []Lang{Chinese, English}

// ParseLang accepts "zh", "en" and locale-style names such as "zh_CN.UTF-8".
// ok is false for anything else.
func ParseLang(s string) (l Lang, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case strings.HasPrefix(s, "zh"):
		return Chinese, true
	case strings.HasPrefix(s, "en"):
		return English, true
	}
	return "", false
}

// DetectLang picks the language from the usual locale variables, in the
// order POSIX gives them precedence (LC_ALL, LC_MESSAGES, LANG). A Chinese
// locale selects Chinese; anything else, or nothing, selects English.
func DetectLang(getenv func(string) string) Lang {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(k)
		if v == "" {
			continue
		}
		if l, ok := ParseLang(v); ok && l == Chinese {
			return Chinese
		}
		return English
	}
	return English
}
