package verify

import (
	"bytes"
	"cmp"
	"errors"
	"strings"
	"time"
	"unicode"

	"github.com/sockstep/sockstep/runner/verify/proc"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Hint names a likely mistake: a key of content/text/*/verify.json and the
// arguments of its format.
type Hint struct {
	Key  string
	Args []any
	// Lang is the program's language (python, c, go, node, java) or "":
	// the report uses the catalog's Key.Lang when it has one.
	Lang string
}

func hint(key string, args ...any) Hint { return Hint{Key: "verify.hint." + key, Args: args} }

// catText is a hint's argument that is itself a sentence of the catalog,
// rendered in the learner's language with the hint (showHint).
type catText struct {
	key  string
	args []any
}

// What programs in any language print when a socket call fails. Python,
// Go, Node, Java and C's perror all name the errno in one of these ways.
var (
	reAddrNotAvail = lazy(`(?i)cannot assign requested address|EADDRNOTAVAIL|errno 99\b`)
	reAddrInUse    = lazy(`(?i)address already in use|EADDRINUSE|errno 98\b`)
	reRefused      = lazy(`(?i)connection refused|ECONNREFUSED|errno 111\b`)
	reDecode       = lazy(`(?i)UnicodeDecodeError|can't decode byte|invalid utf-?8|malformed input`)
	// Python's traceback names the codec: decoding UTF-8 bytes as GBK
	// fails on the first byte pair GBK does not have.
	reGBKDecode = lazy(`'gbk' codec can't decode|'gb2312' codec can't decode|'gb18030' codec can't decode`)
	// Bytes printed as bytes, not text: Python's b'…', Go's [228 189 160],
	// Node's <Buffer e4 bd a0>, Java's [B@1b6d3586.
	reBytesPrinted = lazy(`\bb'|\bb"|\[\d{1,3}(?: \d{1,3}){2,}\]|<Buffer(?: [0-9a-f]{2})+|\[B@[0-9a-f]+`)
)

// dgramNotRunning is what Node's dgram throws for a send on a socket
// already closed.
const dgramNotRunning = "ERR_SOCKET_DGRAM_NOT_RUNNING"

// printsBytes reports whether program output shows bytes in a language's
// notation for them instead of decoded text.
func printsBytes(out string) bool { return reBytesPrinted.MatchString(out) }

// diagnose puts the hints in the order a learner should read them: the
// ones that explain everything else (could not start, could not bind)
// first, the exercise's own diagnosis next, and the generic outcome
// (crashed, timed out, output differs) last, when nothing better was found.
func diagnose(ex *exercise, o *Observation, want, got Facts, timeout time.Duration) []Hint {
	var hs []Hint
	var noSafeUser *proc.NoSafeUserError
	stderr := append(append([]byte(nil), o.Stderr...), o.StderrTail...)
	switch {
	case errors.As(o.StartErr, &noSafeUser):
		return []Hint{hint("cannot_isolate", noSafeUser.What)}
	case o.StartErr != nil:
		return []Hint{startHint(o.StartErr, o.Program)}
	case o.WrongPort:
		// Said at once: nothing else about the run means anything.
		return []Hint{hint("wrong_port", joinList(o.OtherSockets), o.Host, o.Port)}
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
	switch {
	case reGBKDecode.Match(stderr):
		// Not a character split by TCP: the whole message, decoded
		// with the wrong codec (the traceback says which).
		hs = append(hs, hint("gbk_decode_crash"))
	case reDecode.Match(stderr):
		hs = append(hs, hint(cmp.Or(ex.decodeHint, "decode_error")))
	}
	if bytes.Contains(stderr, []byte(dgramNotRunning)) {
		// Node: a send that found its socket closed, because close()
		// ran while the sends were still queued.
		hs = append(hs, hint("closed_before_sent"))
	}
	if ex.diagnose != nil {
		hs = append(hs, ex.diagnose(o, want, got)...)
	}
	if n := trailingEmpty(got.Stdout) - trailingEmpty(want.Stdout); n > 0 && len(got.Stdout) > n {
		// The one tolerated empty line is already gone (outputLines):
		// these are more. The hint counts every empty line the learner
		// sees after the reply, the forgiven one included.
		hs = append(hs, hint("extra_empty_lines", trailingEmpty(got.Stdout)+1))
	}
	if bufferedOutput(ex, o) {
		hs = append(hs, hint("buffered_output"))
	}
	crashed := o.Exit.Exited() && (o.Exit.Code != 0 || o.Exit.Signal != "")
	switch {
	case o.flooded():
		// Before a crash: a program that sent more than verify keeps
		// has failed whatever happened to it next (a reset, a crash).
		hs = append(hs, floodHint(o))
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

// crashedSaying reports a program that ended by itself with an error and
// said why on stderr (a traceback): that, not a missing recv, is why its
// reply is not printed.
func crashedSaying(o *Observation) bool {
	return o.Exit.Exited() && (o.Exit.Code != 0 || o.Exit.Signal != "") && len(bytes.TrimSpace(o.Stderr)) > 0
}

// trailingEmpty counts the empty lines at the end of ls.
func trailingEmpty(ls []string) int {
	n := 0
	for n < len(ls) && ls[len(ls)-1-n] == "" {
		n++
	}
	return n
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

// bufferedOutput reports a program that verify had to stop while its
// output was empty although it had reached verify: what it printed may
// still sit in its stdio buffer, which a pipe fills before writing (C's
// printf, Java's PrintStream) and which is lost when the program is killed.
func bufferedOutput(ex *exercise, o *Observation) bool {
	return !ex.server && ex.newPeer != nil && o.Reached && o.Exit.Stopped && len(bytes.TrimSpace(o.Stdout)) == 0 &&
		(ex.replyLast || ex.id == "udp-recv")
}

// advise adapts the hints to the program: each says its advice in the
// program's language when the catalog has it, and a Node program whose
// datagrams never left because it closed the socket right after send
// (dgram's send is asynchronous: close cancels what is queued) is told
// so instead of being told to call send.
func advise(hs []Hint, argv []string, dir string) []Hint {
	lang := programLanguage(argv, dir)
	for i := range hs {
		hs[i].Lang = lang
		if lang == langNode && (hs[i].Key == hint("nothing_sent").Key || hs[i].Key == hint("split_joined").Key) {
			if src := programSource(argv, dir); reNodeSend.MatchString(src) && reNodeClose.MatchString(src) {
				hs[i] = Hint{Key: hint("closed_before_sent").Key, Lang: lang}
			}
		}
	}
	return hs
}

var (
	reNodeSend  = lazy(`\.send\s*\(`)
	reNodeClose = lazy(`\.close\s*\(`)
)

// gbk is the encoding a Chinese Windows console and many older notes use.
var gbk = simplifiedchinese.GBK

// gbkMojibake reports output that is UTF-8 text decoded as GBK (乱码): the
// output, encoded back to GBK, holds the UTF-8 of a Chinese part of want.
// "你好" sent as UTF-8 and decoded as GBK prints 浣犲ソ.
func gbkMojibake(out, want string) bool {
	if out == "" || strings.Contains(out, want) {
		return false
	}
	back, err := gbk.NewEncoder().String(out)
	if err != nil {
		back = encodeGBKLoose(out)
	}
	for _, part := range chineseRuns(want) {
		if !strings.Contains(out, part) && strings.Contains(back, part) {
			return true
		}
	}
	return false
}

// encodeGBKLoose encodes what GBK can encode, rune by rune.
func encodeGBKLoose(s string) string {
	var b strings.Builder
	enc := gbk.NewEncoder()
	for _, r := range s {
		if x, err := enc.String(string(r)); err == nil {
			b.WriteString(x)
		}
	}
	return b.String()
}

// isGBK reports bytes that are want encoded as GBK instead of UTF-8.
func isGBK(got []byte, want string) bool {
	if bytes.Equal(got, []byte(want)) {
		return false
	}
	x, err := gbk.NewEncoder().String(want)
	return err == nil && x != want && bytes.Contains(got, []byte(x))
}

// chineseRuns are the runs of Han characters in s, such as "你好".
func chineseRuns(s string) []string {
	var out []string
	var cur []rune
	for _, r := range s + " " {
		if unicode.Is(unicode.Han, r) {
			cur = append(cur, r)
			continue
		}
		if len(cur) >= 2 {
			out = append(out, string(cur))
		}
		cur = cur[:0]
	}
	return out
}
