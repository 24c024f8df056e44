//go:build !windows

package runner

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"golang.org/x/sys/unix"
)

// defaultPortRE finds 7788 as a number of its own, not inside another
// (an ephemeral port such as 57788 is a measurement, not the notes' port).
var defaultPortRE = regexp.MustCompile(`(^|[^0-9])7788($|[^0-9])`)

// checkProse is called on every plain run of a lesson (plainRun, which
// every lesson and experiment test uses, in both languages, on a port
// other than 7788): the prose follows the run.
//
//   - 7788 appears only in the notes' own code (the fenced code blocks of
//     the lesson), never in a sentence: a sentence about the lesson's port
//     says {{port}}.
//   - Every {{name}} the prose used was filled by the run.
func checkProse(t *testing.T, l *content.Lesson, r *Runner, out string) {
	t.Helper()
	if r.port() == lessons.DefaultPort {
		t.Fatalf("the prose check needs a port other than %d", lessons.DefaultPort)
	}
	code := notesCode(l)
	for _, line := range strings.Split(out, "\n") {
		if defaultPortRE.MatchString(line) && !code[strings.TrimSpace(line)] {
			t.Errorf("%s/%s: 7788 outside the notes' code, though this run used port %d:\n%s", l.Lang, l.ID, r.port(), line)
		}
	}
	if len(r.unfilled) > 0 {
		t.Errorf("%s/%s: the prose names values the run did not measure: %v", l.Lang, l.ID, r.unfilled)
	}
	if strings.Contains(out, "{{") {
		t.Errorf("%s/%s: a {{ is left in the output", l.Lang, l.ID)
	}
}

// notesCode is every line of the fenced code blocks of a lesson, trimmed.
func notesCode(l *content.Lesson) map[string]bool {
	out := map[string]bool{}
	texts := []string{l.Intro}
	for _, st := range l.Steps {
		texts = append(texts, st.Body, st.After)
	}
	for _, text := range texts {
		in := false
		for _, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "```") {
				in = !in
				continue
			}
			if in {
				out[strings.TrimSpace(line)] = true
			}
		}
	}
	return out
}

// fixedFacts are the numbers the prose below <!-- after --> may state
// without a template value, because they describe no measurement: each is
// a fact of Linux, of a standard, or a parameter the lesson set itself,
// with the reason it holds. Any other digit there must come from the run.
var fixedFacts = map[string]map[string]string{
	"tcp-states": {
		"60": "TIME_WAIT lasts TCP_TIMEWAIT_LEN = 60*HZ (include/net/tcp.h), read back from the kernel's timer by lessons.TestClaimTimeWaitOnFirstCloserFor60s",
		"0":  "recv's return value at the end of the stream, a fact of the API (recv(2)), not a count",
		"2":  "2×MSL, the TCP standard's formula for TIME_WAIT (RFC 793, RFC 9293)",
	},
	"throughput": {
		"64":     "64 KiB, the largest packet TCP hands lo (lessons.TestClaimLoopbackMTU)",
		"65,536": "lo's MTU, the kernel's default (lessons.TestClaimLoopbackMTU)",
		"1,400":  "the first round's datagram size, a parameter the lesson sets (size=1400 by default), not a measurement",
		"1,500":  "Ethernet's MTU (RFC 894)",
	},
	"lossy-link": {
		"200": "Linux's minimum retransmission timeout, TCP_RTO_MIN = HZ/5 (include/net/tcp.h)",
	},
	"timeouts": {
		"6.5": "the Linux release that added net.ipv4.tcp_syn_linear_timeouts (commit ccce324dabfe, May 2023; net/ipv4/tcp_timer.c)",
	},
	"connected-udp": {"0": "recvfrom's return value for an empty datagram and recv's at the end of the stream, a fact of the API (recv(2)), not a count"},
	"nagle":         {"200": "TCP_CORK's ceiling of 200 ms (tcp(7)), a fact of Linux, not a measurement"},
	"reset":         {"0": "recv's return value at the end of the stream (recv(2)), and the linger time of 0 the lesson sets (SO_LINGER, socket(7))"},
	"ipv6":          {"6": "IPv6, a name", "4": "IPv4, a name"},
	"boundaries": {
		"64":   "64 KiB, the most a UDP length field allows (RFC 768)",
		"1500": "Ethernet's MTU (RFC 894)",
		"1472": "1500 − 20 bytes of IPv4 header − 8 of UDP header (RFC 791, RFC 768)",
		"1.1":  "HTTP/1.1, a name",
	},
}

var (
	fenced     = regexp.MustCompile("(?s)```.*?```")
	codeSpan   = regexp.MustCompile("`[^`]*`")
	numberRun  = regexp.MustCompile(`[0-9][0-9,.]*[0-9]|[0-9]`)
	valueNames = regexp.MustCompile(`\{\{[^}]*\}\}`)
)

// TestAfterProseNumbersComeFromTheRun: the prose of an experiment that
// follows its results states no number of its own, except the fixed facts
// listed above. Code (`recvfrom(1024)`, `SO_RCVBUF`) is the call's text and
// is left out; so are {{name}}s, which the run fills, and the authors'
// <!-- refs: --> comments, which are never shown (RFC numbers, sections).
func TestAfterProseNumbersComeFromTheRun(t *testing.T) {
	for _, lang := range content.Langs {
		ls, err := content.Builtin(lang, content.KindExperiment)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			for i, st := range l.Steps {
				text := valueNames.ReplaceAllString(codeSpan.ReplaceAllString(fenced.ReplaceAllString(withoutComments(st.After), ""), ""), "")
				for _, n := range numberRun.FindAllString(text, -1) {
					if _, ok := fixedFacts[l.ID][n]; !ok {
						t.Errorf("%s/%s step %d: %q in the prose after the results is neither a value of the run ({{name}}) nor a fixed fact listed in this test", lang, l.ID, i+1, n)
					}
				}
			}
		}
	}
}

// TestFillValues: {{port}} is the run's port, a measured value its number,
// and a value the run has not measured (sockstep show) a placeholder.
func TestFillValues(t *testing.T) {
	r, err := New(Options{Lang: content.English, Session: lessons.Config{Port: 23456}})
	if err != nil {
		t.Fatal(err)
	}
	got := r.fill("port {{port}}, {{ ratio }} times, {{missing}}", map[string]string{"ratio": "12"})
	if want := "port 23456, 12 times, " + unknownValue; got != want {
		t.Errorf("fill: %q, want %q", got, want)
	}
	if len(r.unfilled) != 0 {
		t.Errorf("outside a run, a missing value is not a mistake to note: %v", r.unfilled)
	}
	r2, _ := New(Options{Lang: content.English})
	if got := r2.fill("{{port}}", nil); got != "7788" {
		t.Errorf("default port: %q", got)
	}
}

// TestEveryStepHasProse: every step of every lesson says what to look at,
// in both languages; a step of calls alone leaves the learner guessing.
func TestEveryStepHasProse(t *testing.T) {
	for _, lang := range content.Langs {
		ls, err := content.Builtin(lang, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			for i, st := range l.Steps {
				if strings.TrimSpace(st.Body) == "" {
					t.Errorf("%s/%s step %d (%s) has no prose", lang, l.ID, i+1, st.Title)
				}
			}
		}
	}
}

// TestOneVocabulary: the lessons and messages use one name for each idea
// (issue 10): the facts panel is "What the kernel reports" / 内核报告的状态,
// an echo server 回显服务器, the program's buffer in truncation 用户缓冲区.
// Every message of the catalog is read, in both languages, not a chosen
// few: "sockstep steps" and the classroom panel once kept the old names.
func TestOneVocabulary(t *testing.T) {
	// banned maps an old phrasing to the word the lessons use now.
	banned := map[content.Lang][]struct {
		bad  *regexp.Regexp
		good string
	}{
		content.Chinese: {
			{regexp.MustCompile(`说法`), "内核报告的状态"}, // 内核现在的说法, 内核的说法, 内核关于…的说法
			{regexp.MustCompile(`事实`), "内核报告的状态"},
			{regexp.MustCompile(`回声`), "回显服务器"},
		},
		content.English: {
			{regexp.MustCompile(`(?i)kernel says`), "what the kernel reports"},
			{regexp.MustCompile(`(?i)says now`), "what the kernel reports"},
			{regexp.MustCompile(`(?i)\bfacts\b`), "what the kernel reports"},
		},
	}
	for _, lang := range content.Langs {
		texts := map[string]string{}
		ls, err := content.Builtin(lang, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			texts["lesson "+l.ID] = shownText(l)
		}
		exs, err := content.Exercises(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range exs {
			texts["exercise "+ex.ID] = shownText(ex)
		}
		cat := content.Text(lang)
		keys := cat.Keys()
		if len(keys) < 100 {
			t.Fatalf("%s: only %d messages in the catalog; the test should read them all", lang, len(keys))
		}
		for _, key := range keys {
			texts["message "+key] = cat.T(key)
		}
		for where, text := range texts {
			for _, b := range banned[lang] {
				if m := b.bad.FindString(text); m != "" {
					t.Errorf("%s: %s says %q; the lessons' word is %q", lang, where, m, b.good)
				}
			}
		}
	}
	if got := content.Text(content.Chinese).T("facts.title"); !strings.Contains(got, "内核报告的状态") {
		t.Errorf("zh facts.title is %q", got)
	}
	if got := content.Text(content.English).T("facts.title"); !strings.Contains(got, "What the kernel reports") {
		t.Errorf("en facts.title is %q", got)
	}
	if tr := lessonText(t, content.Chinese, "truncation"); strings.Contains(tr, "接收缓冲区") {
		t.Errorf("truncation calls recvfrom's buffer 接收缓冲区 (SO_RCVBUF in flow-control); say 用户缓冲区")
	}
}

func lessonText(t *testing.T, lang content.Lang, id string) string {
	t.Helper()
	l := lesson(t, lang, id)
	s := l.Summary + l.Intro
	for _, st := range l.Steps {
		s += st.Body + st.After
	}
	return s
}

// TestECONNREFUSEDByProtocol: the same errno has two causes, and the text
// names the right one: for TCP the peer's RST answering a SYN, for UDP an
// ICMP port-unreachable message, reported only to a connected socket
// (lessons.TestClaimICMPRefusedOnlyOnConnectedUDP checks the kernel).
func TestECONNREFUSEDByProtocol(t *testing.T) {
	err := error(unix.ECONNREFUSED)
	for _, lang := range content.Langs {
		r, e := New(Options{Lang: lang})
		if e != nil {
			t.Fatal(e)
		}
		tcp := strings.Join(r.explainFor(err, lessons.TCP), " ")
		udp := strings.Join(r.explainFor(err, lessons.UDP), " ")
		if !strings.Contains(tcp, "RST") || strings.Contains(tcp, "ICMP") {
			t.Errorf("%s: TCP's ECONNREFUSED should name the RST: %s", lang, tcp)
		}
		if !strings.Contains(udp, "ICMP") || strings.Contains(udp, "RST") {
			t.Errorf("%s: UDP's ECONNREFUSED should name the ICMP message: %s", lang, udp)
		}
	}
}

// TestEACCESHintNamesTheDefaultPort: a bind refused with EACCES is a run
// given a low --port; the hint offers the port a run without --port
// takes (lessons.ChooseDefaultPort, which is not 7788 when another user
// holds 7788), filled in, never a fixed number; EADDRINUSE's hint still
// names the run's own port, the one in use.
func TestEACCESHintNamesTheDefaultPort(t *testing.T) {
	def, _ := lessons.ChooseDefaultPort()
	for _, lang := range content.Langs {
		r, err := New(Options{Lang: lang, Session: lessons.Config{Port: 80}})
		if err != nil {
			t.Fatal(err)
		}
		if !r.cat.TakesArgs("errno.EACCES.hint") {
			t.Errorf("%s: errno.EACCES.hint states its port itself: %q", lang, r.cat.T("errno.EACCES.hint"))
		}
		lines := r.explainFor(unix.EACCES, lessons.TCP)
		if len(lines) != 2 {
			t.Fatalf("%s: EACCES explained in %d lines, want the meaning and the hint: %q", lang, len(lines), lines)
		}
		hint := lines[1]
		if !regexp.MustCompile(`(^|[^0-9])`+strconv.Itoa(def)+`($|[^0-9])`).MatchString(hint) || strings.Contains(hint, "%!") {
			t.Errorf("%s: EACCES hint %q should offer the default port %d", lang, hint, def)
		}
		if regexp.MustCompile(`(^|[^0-9])80($|[^0-9])`).MatchString(hint) {
			t.Errorf("%s: EACCES hint %q offers the refused port 80", lang, hint)
		}
		inuse := strings.Join(r.explainFor(unix.EADDRINUSE, lessons.TCP), " ")
		if !regexp.MustCompile(`(^|[^0-9])80($|[^0-9])`).MatchString(inuse) {
			t.Errorf("%s: EADDRINUSE hint %q should name the run's port 80", lang, inuse)
		}
	}
}

// shownText is every text of a lesson or an exercise a learner reads:
// titles, summary, introduction and steps, without the HTML comments
// (references for maintainers, never shown).
func shownText(l *content.Lesson) string {
	var b strings.Builder
	b.WriteString(l.Title + l.Summary + l.Intro)
	for _, st := range l.Steps {
		b.WriteString(st.Title + st.Body + st.After)
	}
	return withoutComments(b.String())
}
