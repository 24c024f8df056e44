package verify

import (
	"regexp"
	"sync"
)

// lazyRegexp is a regular expression compiled the first time it is
// used, by whichever goroutine comes first (sync.OnceValue). verify's
// expressions only matter once a run is diagnosed, and compiling them at
// every start of sockstep, for every command, was a tenth of a
// millisecond of `sockstep show`. TestLazyRegexps compiles them all.
type lazyRegexp func() *regexp.Regexp

func lazy(expr string) lazyRegexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

func (l lazyRegexp) Match(b []byte) bool       { return l().Match(b) }
func (l lazyRegexp) MatchString(s string) bool { return l().MatchString(s) }
