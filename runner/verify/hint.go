package verify

import (
	"cmp"
	"regexp"
	"time"
)

// Hint names a likely mistake: a key of content/text/*/verify.json and the
// arguments of its format.
type Hint struct {
	Key  string
	Args []any
}

func hint(key string, args ...any) Hint { return Hint{Key: "verify.hint." + key, Args: args} }

// What programs in any language print when a socket call fails. Python,
// Go, Node, Java and C's perror all name the errno in one of these ways.
var (
	reAddrNotAvail = regexp.MustCompile(`(?i)cannot assign requested address|EADDRNOTAVAIL|errno 99\b`)
	reAddrInUse    = regexp.MustCompile(`(?i)address already in use|EADDRINUSE|errno 98\b`)
	reRefused      = regexp.MustCompile(`(?i)connection refused|ECONNREFUSED|errno 111\b`)
	reDecode       = regexp.MustCompile(`(?i)UnicodeDecodeError|can't decode byte|invalid utf-?8|malformed input`)
	// Bytes printed as bytes, not text: Python's b'…', Go's [228 189 160],
	// Node's <Buffer e4 bd a0>, Java's [B@1b6d3586.
	reBytesPrinted = regexp.MustCompile(`\bb'|\bb"|\[\d{1,3}(?: \d{1,3}){2,}\]|<Buffer(?: [0-9a-f]{2})+|\[B@[0-9a-f]+`)
)

// printsBytes reports whether program output shows bytes in a language's
// notation for them instead of decoded text.
func printsBytes(out string) bool { return reBytesPrinted.MatchString(out) }

// diagnose puts the hints in the order a learner should read them: the
// ones that explain everything else (could not start, could not bind)
// first, the exercise's own diagnosis next, and the generic outcome
// (crashed, timed out, output differs) last, when nothing better was found.
func diagnose(ex *exercise, o *Observation, want, got Facts, timeout time.Duration) []Hint {
	var hs []Hint
	stderr := append(append([]byte(nil), o.Stderr...), o.StderrTail...)
	switch {
	case o.StartErr != nil:
		return []Hint{hint("cannot_start", o.StartErr.Error())}
	case reAddrNotAvail.Match(stderr):
		hs = append(hs, hint("addr_not_avail", o.Host))
	case reAddrInUse.Match(stderr):
		hs = append(hs, hint("addr_in_use", o.Port))
	case !o.Reached && reRefused.Match(stderr):
		hs = append(hs, hint("refused", o.Host, o.Port))
	case !o.Reached && ex.binds && len(o.OtherSockets) > 0:
		hs = append(hs, hint("wrong_port", joinList(o.OtherSockets), o.Host, o.Port))
	case !o.Reached && ex.binds && o.Exit.Stopped:
		hs = append(hs, hint("never_bound", o.Host, o.Port))
	case !o.Reached && !ex.binds && o.Exit.Stopped:
		hs = append(hs, hint("never_connected", o.Host, o.Port))
	}
	if reDecode.Match(stderr) {
		hs = append(hs, hint(cmp.Or(ex.decodeHint, "decode_error")))
	}
	if ex.diagnose != nil {
		hs = append(hs, ex.diagnose(o, want, got)...)
	}
	crashed := o.Exit.Exited() && (o.Exit.Code != 0 || o.Exit.Signal != "")
	switch {
	case crashed && o.Exit.Signal != "":
		hs = append(hs, hint("crashed_signal", o.Exit.Signal))
	case crashed && len(stderr) == 0:
		hs = append(hs, hint("crashed_quiet", o.Exit.Code))
	case crashed:
		hs = append(hs, hint("crashed", o.Exit.Code))
	case o.TimedOut:
		hs = append(hs, hint("timeout", timeout.Seconds()))
	}
	if len(hs) == 0 {
		hs = append(hs, hint("mismatch"))
	}
	return dedupe(hs)
}

func dedupe(hs []Hint) []Hint {
	seen := map[string]bool{}
	out := hs[:0]
	for _, h := range hs {
		if !seen[h.Key] {
			seen[h.Key] = true
			out = append(out, h)
		}
	}
	return out
}

func joinList(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}
