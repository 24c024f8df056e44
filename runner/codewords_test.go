package runner

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
)

// A call, as a preview writes it or as a step shows it running, is code:
// function names, constants, socket names, arguments. What is not code
// (a comment after "#", a placeholder such as <1000 bytes>, a line saying
// what happens between two calls) comes from the catalog, so a Chinese
// lesson's calls carry Chinese words only (issue 16). proseWords finds
// the English that slipped through.

// codeNames are the lowercase words a call may contain as code: the
// socket and variable names the lessons use, the system calls and tools
// they show, fields the kernel reports. A word followed by "(" is a call
// and a word in capitals a constant (SOL_SOCKET, EAGAIN, TCP), both code.
// Some are English words too (in, on, drop): a preview uses them as code
// (a for loop, struct linger, an nftables rule), never in a comment.
var codeNames = words(`
	c conn srv sc rx tx u a b stranger tcp udp web host port addr data sent got
	pid tid clients head fd
	while for in on nftables numgen random mod counter drop lo
	proc sys net ipv4 ip_local_port_range etc hosts localhost`, commentNames)

// commentNames are the only lowercase words a comment after "#" may have
// in Chinese: units, sockstep's name, the TCP_INFO field a states
// directive reads, the system calls, and (socketName) socket names.
var commentNames = words(`
	s ms sockstep tcpi_state ffff
	send recv connect close sendto recvfrom bind socket setsockopt getsockopt
	accept listen poll getsockname getpeername fcntl shutdown unshare ioctl
	tgkill sleep cat getaddrinfo`, nil)

func words(list string, also map[string]bool) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	for w := range also {
		m[w] = true
	}
	return m
}

var (
	quotedRE   = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	wordRE     = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*(\()?`)
	constantRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	// numberedRE: names with a number (c1, conn2, web3, msg1, len2) and
	// the TCP_INFO fields (tcpi_total_retrans).
	numberedRE = regexp.MustCompile(`^(?:(?:c|conn|web|tcp|msg|len)\d*|tcpi_[a-z_]+)$`)
)

// proseWords returns the words of a call line that are not code: in
// quotes is data and skipped; outside, every ASCII word must be a call,
// a constant or a known name, and after "#" only a constant, a unit or a
// socket name.
func proseWords(line string) []string {
	line = quotedRE.ReplaceAllString(line, `""`)
	code, comment, _ := strings.Cut(line, "#")
	var out []string
	for _, m := range wordRE.FindAllStringSubmatch(code, -1) {
		w := strings.TrimSuffix(m[0], "(")
		if m[1] == "" && !constantRE.MatchString(w) && !codeNames[w] && !numberedRE.MatchString(w) {
			out = append(out, w)
		}
	}
	for _, m := range wordRE.FindAllStringSubmatch(comment, -1) {
		w := strings.TrimSuffix(m[0], "(")
		if !constantRE.MatchString(w) && !commentNames[w] && !numberedRE.MatchString(w) && !socketName(w) {
			out = append(out, w)
		}
	}
	return out
}

// socketName: the names lessons give their sockets (c, conn, srv, …).
func socketName(w string) bool {
	switch w {
	case "c", "conn", "srv", "sc", "rx", "tx", "u", "a", "b", "stranger", "web":
		return true
	}
	return false
}

func TestProseWords(t *testing.T) {
	t.Parallel()
	for line, want := range map[string]string{
		`recvfrom(rx, 1024, 0)   # 没有数据报到来`:                         "",
		`recvfrom(rx, 1024, 0)   # no datagram comes`:               "no datagram comes",
		`send(c, <1048576 字节>, 0)`:                                  "",
		`send(c, <1048576 bytes>, 0)`:                               "bytes",
		`sendto(12, "from a stranger", 0, 127.0.0.1:48349)   # 陌生人`: "",
		`connect(c, 127.0.0.1:<closed>)   # → ECONNREFUSED`:         "closed",
		`… 3 s later: sendto(tx, "late", rx)`:                       "later",
		`setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, 2 s)`:              "",
		`connect(c1, srv) … connect(c4, srv)   # O_NONBLOCK`:        "",
		`accept(9)   # peer [::ffff:127.0.0.1]:49008`:               "peer",
		`# TCP_INFO tcpi_state: srv c conn2`:                        "",
		`while sent < 1048576: sent += send(c, data[sent:])`:        "",
		`close(conn) × 3   # the fix`:                               "the fix",
	} {
		if got := strings.Join(proseWords(line), " "); got != want {
			t.Errorf("proseWords(%q) = %q, want %q", line, got, want)
		}
	}
}

// TestPreviewsInTheLessonsLanguage: every call every lesson previews
// (show, and each step before it runs) is code and, in Chinese, Chinese
// words; in English, no Chinese ones.
func TestPreviewsInTheLessonsLanguage(t *testing.T) {
	t.Parallel()
	for _, lang := range content.Langs {
		r, err := New(Options{Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		ls, err := content.Builtin(lang, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			if l.Kind == content.KindExercise {
				continue
			}
			sess := lessons.NewSession(r.opts.Session, nil)
			var all []content.Directive
			names := lessonSockets(l)
			for i, st := range l.Steps {
				all = append(all, st.Directives...)
				peer := sess.PeerDirectives(all)
				for _, p := range r.callLines(sess, st.Directives, peer[len(all)-len(st.Directives):]) {
					for _, line := range strings.Split(p, "\n") {
						checkCallLine(t, lang, l.ID+" step "+strconv.Itoa(i+1), line, names)
					}
				}
			}
			sess.Close()
		}
	}
}

// lessonSockets are the names a lesson gives its sockets (socket NAME,
// accept … as=NAME): code, whatever word the author chose.
func lessonSockets(l *content.Lesson) map[string]bool {
	names := map[string]bool{}
	for _, st := range l.Steps {
		for _, d := range st.Directives {
			if d.Action == "socket" && len(d.Pos) > 0 {
				names[d.Pos[0]] = true
			}
			if as := d.Args["as"]; as != "" {
				names[as] = true
			}
		}
	}
	return names
}

// checkCallLine fails for English prose in a Chinese call line, and for
// Chinese in an English one; names are the lesson's socket names.
func checkCallLine(t *testing.T, lang content.Lang, where, line string, names map[string]bool) {
	t.Helper()
	switch lang {
	case content.Chinese:
		var w []string
		for _, word := range proseWords(line) {
			if !names[word] {
				w = append(w, word)
			}
		}
		if len(w) > 0 {
			t.Errorf("%s: %q has English words %q; say them in the catalog (content/text/zh)", where, line, w)
		}
	case content.English:
		if strings.IndexFunc(line, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0 {
			t.Errorf("%s: %q has Chinese words in an English lesson", where, line)
		}
	}
}
