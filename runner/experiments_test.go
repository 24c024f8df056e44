//go:build !windows

package runner

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
)

// experimentFacts is what each experiment lesson must print, one row per
// lesson id: the calls and the measured facts, as regular expressions over
// the plain output (label: in English only, being words of the catalog).
// A new experiment lesson is one row here; TestExperiments fails for an
// experiment lesson without a row, and for a row that checks nothing.
var experimentFacts = []struct {
	id    string
	facts []factsPattern
	// here, when set, adds the facts that depend on this machine.
	here func(t *testing.T) []factsPattern
}{
	{id: "boundaries", facts: []factsPattern{
		{"udp: three datagrams, three reads", `(?s)recvfrom\(\d+, 1024, 0\) = 3.*recvfrom\(\d+, 1024, 0\) = 3.*recvfrom\(\d+, 1024, 0\) = 5`, false},
		{"udp: counts", `written: 3 messages, 11 bytes\n\s+received: 3 reads, 11 bytes`, true},
		{"tcp: every byte", `received: [123] reads?, 11 bytes`, true},
		{"big write in pieces", `one write of 1048576 bytes arrived as \d+ reads`, true},
		{"length prefix", `(?s)4-byte length prefix:\s+3 messages sent in one stream; 3 messages recovered`, true},
		{"delimiter", `(?s)newline after each message:\s+3 messages sent in one stream; 3 messages recovered`, true},
	}},
	{id: "concurrency", facts: []factsPattern{
		{"connected without accept", `had accepted 1 connection\(s\),\s+and\s+1\s+waited`, true},
		{"iterative: after A", `B's reply came only after A hung up`, true},
		{"both measured", `(?s)one client at a time:.*a thread \(goroutine\) per connection:`, true},
		{"bars", `B's wait, thread each\s+█*\s+[\d.,]+ ms`, true},
	}},
	{id: "connected-udp", facts: []factsPattern{
		{"the peer's datagram, from the peer", `recvfrom returned "from the peer", from 127\.0\.0\.1:\d+`, true},
		{"the stranger's sendto succeeded", `sendto\(\d+, "from a stranger", 0, 127\.0\.0\.1:\d+\) = 15   # (?:stranger|陌生人)`, false},
		{"the stranger's datagram filtered", `the stranger.s datagram never came`, true},
		{"no socket took it, on a counter of the whole machine", `this lesson sent 1 datagram from a stranger; meanwhile Udp NoPorts,\s+the\s+count\s+of\s+datagrams\s+that\s+found\s+no\s+socket,\s+grew\s+by\s+[1-9]\d*:\s+the\s+counter\s+is\s+the\s+whole\s+machine's`, true},
		{"refused once, on the next send", `the three sends returned: 10, ECONNREFUSED, 10`, true},
		{"refused by ICMP, not a reset", `"datagram 2", 0\) → ECONNREFUSED[^\n]*\n(?:[^\n]*\n){0,3}[^\n]*ICMP`, false},
		{"an empty datagram", `recvfrom returned 0 bytes, from 127\.0\.0\.1:\d+: an empty datagram`, true},
		{"the socket goes on", `the next recvfrom returned "still here"`, true},
		{"tcp eof only at close", `after the client's close, recv returned 0: end of stream`, true},
	}},
	{id: "flow-control", facts: []factsPattern{
		{"send refused", `send\(\d+, <4096 (?:bytes|字节)>, 0\) → EAGAIN`, false},
		{"queues grew", `receiver +[1-9]\d* B, sender +[1-9]\d* B \(never sent +\d+ B\)`, true},
		// SIOCOUTQ == SIOCOUTQNSD on a zero window is checked against the
		// kernel by lessons.TestClaimSendQueueOnZeroWindowIsUnsent.
		{"zero window: bytes in the send queue never sent", `sender +[1-9]\d* B \(never sent +[1-9]\d* B\)\n[^\n]*EAGAIN`, true},
		{"flows again", `then a send went through again \(4096 bytes\)`, true},
		{"udp lost some", `lost: [1-9]\d* datagrams`, true},
		{"the socket counted them", `drop counter \(/proc/net/udp\): [1-9]\d*`, true},
	}},
	{id: "ipv6", facts: []factsPattern{
		{"what localhost is here", `/etc/hosts lists for localhost, in the file's order: |/etc/hosts lists no address for localhost`, true},
	}, here: func(t *testing.T) []factsPattern {
		// Where ::1 works (the CI machines), the lesson shows it; where
		// it does not, it says so.
		if !lessons.IPv6Loopback() {
			return []factsPattern{{"::1 missing, said plainly", `::1 cannot be used on this machine`, true}}
		}
		return []factsPattern{
			{"over ::1", `server \[::1\]:\d+, client \[::1\]:\d+: both ends IPv6`, true},
			{"the message", `the server received "hello over IPv6" from \[::1\]:\d+`, true},
			{"v4-mapped", `the IPv4 client, seen by the IPv6 server: \[::ffff:127\.0\.0\.1\]:\d+`, true},
			{"v6only refuses IPv4", `with IPV6_V6ONLY 1 the same IPv4 connect failed: ECONNREFUSED`, true},
			{"each address tried", `connect to (127\.0\.0\.1|\[::1\]):\d+: `, true},
		}
	}},
	{id: "lossy-link", facts: []factsPattern{
		{"udp lost some", `UDP: 1000 messages sent, 9\d\d arrived, [1-9]\d* lost; every sendto succeeded`, true},
		{"udp call", `sendto\(\d+, <1000 (?:bytes|字节)>, 0, 127\.0\.0\.1:\d+\) × 1000 = 1000`, false},
		{"udp numbers", `UDP\S* 1000 \D+ 9\d\d \D+ [1-9]\d*`, false},
	}, here: func(t *testing.T) []factsPattern {
		// Where the machine allows it (root on Linux, as CI here) the
		// lesson makes its private lossy namespace and shows both halves;
		// elsewhere the relay shows UDP alone, says why, and says what
		// TCP would have done.
		if lessons.LossyLinkReal() {
			return []factsPattern{
				{"private namespace", `the lesson's own namespace, whose lo drops 5% of packets at random`, true},
				{"the link dropped", `the drop rule's own counter: [1-9]\d* packets dropped`, true},
				{"tcp delivered all", `TCP: 1000000 bytes sent, 1000000 bytes arrived`, true},
				{"tcp in order", `all in order, none missing, none twice`, true},
				{"tcp numbers", `TCP\S* 1000000 \D+ 1000000 `, false},
				{"retransmissions", `TCP resent [1-9]\d* segments`, true},
				{"tcp_info call", `getsockopt\(\d+, IPPROTO_TCP, TCP_INFO\) = tcpi_total_retrans \d+`, false},
				{"unshare call", `unshare\(CLONE_NEWNET\); ioctl\(SIOCSIFFLAGS, lo, IFF_UP\) = 0`, false},
			}
		}
		t.Log("no private network namespace here: checking the relay path")
		return []factsPattern{
			{"why", `No private network namespace here \(unshare\(CLONE_NEWNET\): `, true},
			{"relay", `a relay on 127\.0\.0\.1`, true},
			{"tcp described", `TCP not shown`, true},
		}
	}},
	{id: "nagle", facts: []factsPattern{
		{"nagle measured", `Nagle on: median [\d.]+ ms, all 20 rounds [\d.]+ ms, 2\.0 data segments each`, true},
		{"nodelay measured", `TCP_NODELAY: median [\d.]+ ms, all 20 rounds [\d.]+ ms, 2\.0 data segments each`, true},
		{"the delayed-ACK timer", `delayed-ACK timer \(tcpi_ato\): [1-9][\d.]* ms`, true},
		{"nodelay set", `setsockopt\(\d+, IPPROTO_TCP, TCP_NODELAY, 1\) = 0`, false},
		{"cork: one segment", `TCP_CORK: median [\d.]+ ms, all 20 rounds [\d.]+ ms, 1\.0 data segments each`, true},
		{"one write: one segment", `one write: median [\d.]+ ms, all 20 rounds [\d.]+ ms, 1\.0 data segments each`, true},
		{"bars", `(?m)^\s+Nagle on\s+█+\s+[\d,.]+ ms$`, true},
	}},
	{id: "refused", facts: []factsPattern{
		{"unconnected sendto succeeds", `sendto\(\d+, "anyone there\?", 0, 127\.0\.0\.1:\d+\) = 13`, false},
		{"connected udp hears the ICMP error", `recv\(\d+, 1024, 0\) → ECONNREFUSED`, false},
		{"tcp refused at once", `connect\(\d+, 127\.0\.0\.1:\d+\) → ECONNREFUSED`, false},
	}},
	{id: "reset", facts: []factsPattern{
		{"fin: recv 0", `read, then close \(0 bytes unread\): the client's recv → 0, client CLOSE_WAIT`, true},
		{"unread: reset", `close with 5 bytes unread: the client's recv → ECONNRESET, client CLOSED`, true},
		{"unread: the closer gone", `(?s)close with 5 bytes unread.*gone from the kernel's table at once`, true},
		{"linger: reset", `SO_LINGER 0 and close \(0 bytes unread\): the client's recv → ECONNRESET`, true},
		{"linger set", `setsockopt\(\d+, SOL_SOCKET, SO_LINGER, \{on, 0 s\}\) = 0`, false},
		{"epipe", `send 1 returned 5, send 2 failed with EPIPE`, true},
		{"sigpipe", `SIGPIPE signals raised by the second send: [1-9]`, true},
		{"close-wait pile", `3 clients hung up; the server's sockets in CLOSE_WAIT \(TCP_INFO\): 3`, true},
		{"close-wait table", `3 in CLOSE_WAIT; after close: 0`, true},
		{"keepalive off", `new socket: SO_KEEPALIVE 0,`, true},
		{"keepalive set", `set: SO_KEEPALIVE 1, TCP_KEEPIDLE 1 s, KEEPINTVL 1 s, KEEPCNT 3`, true},
		{"probes answered", `[1-9]\d* probes sent, [1-9]\d* answered; the connection still ESTABLISHED`, true},
	}},
	{id: "tcp-states", facts: []factsPattern{
		{"listening", `CLOSED → \[LISTEN\]`, false},
		{"handshake done before accept", `accept queue: 1 waiting`, true},
		{"both ends established", `(?s)c \(you\)\n\s+CLOSED → SYN_SENT → \[ESTABLISHED\].*conn \(you\)\n\s+CLOSED → SYN_RECV → \[ESTABLISHED\]`, true},
		{"half-closed client", `ESTABLISHED → FIN_WAIT1 → \[FIN_WAIT2\]`, false},
		{"half-closed server", `ESTABLISHED → \[CLOSE_WAIT\]`, false},
		{"still sending after recv returned 0", `(?s)recv\(\d+, 1024, 0\) = 0\n.*send\(\d+, .*\) = \d+\n.*recv\(\d+, 1024, 0\) = \d+`, false},
		{"the server's side gone", `CLOSE_WAIT → LAST_ACK → \[CLOSED\]`, false},
		{"time wait on the side that closed first", `FIN_WAIT2 → \[TIME_WAIT\]`, false},
		{"time wait after close, from /proc", `closed \(no descriptor\) · TIME_WAIT`, true},
		{"server closed first", `SYN_RECV → ESTABLISHED → FIN_WAIT1 → FIN_WAIT2 → \[TIME_WAIT\]`, false},
		{"restart refused", `bind\(\d+, 127\.0\.0\.1:\d+\) → EADDRINUSE`, false},
		{"restart with SO_REUSEADDR", `(?s)setsockopt\(\d+, SOL_SOCKET, SO_REUSEADDR, 1\) = 0\n\s+\S+ \S+ bind\(\d+, 127\.0\.0\.1:\d+\) = 0`, false},
		{"full backlog", `accept queue: 2 connections waiting \(backlog 1\)`, true},
		{"syn dropped", `client 3: SYN_SENT`, true},
		{"syn dropped, counted", `2 clients in SYN_SENT`, true},
	}},
	{id: "throughput", facts: []factsPattern{
		{"tcp", `TCP: \d+ MB in [\d.]+ s = \d+ MB/s; \d+ sends of 256 KiB, \d+ recvs`, true},
		{"udp small", `UDP: \d+ datagrams of 1400 bytes sent, \d+ received`, true},
		{"udp big", `UDP: \d+ datagrams of 60000 bytes sent, \d+ received`, true},
		{"udp lost", `UDP: \d+ lost \([\d.]+%\)`, true},
		{"bars", `(?m)^\s+TCP\s+█+\s+[\d,.]+ MB/s$`, false},
	}},
	{id: "truncation", facts: []factsPattern{
		{"real length with MSG_TRUNC", `recvfrom\(\d+, 1024, MSG_TRUNC\) = 2000`, false},
		{"the next datagram, not the rest", `recvfrom\(\d+, 1024, 0\) = 4\n\s+\S+.*"next"`, false},
		{"discarded", `976 bytes were discarded`, true},
		{"tcp keeps everything", `2000 bytes sent; \d+ reads; 2000 bytes received`, true},
	}},
	{id: "timeouts", facts: []factsPattern{
		{"recvfrom blocked until the late datagram", `kept waiting; it returned only\s+after [\d.]+ ms, with the datagram the lesson sent then: "late"`, true},
		{"SO_RCVTIMEO gives EAGAIN", `recvfrom\(\d+, 1024, 0\) → EAGAIN   # [\d.]+ (?:ms|毫秒)`, false},
	}, here: func(t *testing.T) []factsPattern {
		// Where the SYNs can really be dropped (root on Linux, as CI
		// here), they are resent on the kernel's timer, which doubles
		// once the steady tries are over; elsewhere the lesson says so.
		if lessons.LossyLinkReal() {
			return []factsPattern{
				{"SYN resent, counted by TCP_INFO as it happens", `getsockopt\(\d+, IPPROTO_TCP, TCP_INFO\) = tcpi_total_retrans 1 \([\d.]+ s\)`, false},
				{"the gaps", `the SYN was sent again \d+ times; the gaps between sends: [\d.,\s]+ s`, true},
				{"the timer doubles", `\(tcpi_rto\): [\d,\s]*\b2,\s+4\b`, true},
				{"SO_SNDTIMEO ends connect with EINPROGRESS, still SYN_SENT", `connect returned after [\d.]+ ms with EINPROGRESS; the\s+socket is still in SYN_SENT`, true},
			}
		}
		return []factsPattern{{"explained without root", `dropping SYNs takes root on Linux`, true}}
	}},
	{id: "partial-send", facts: []factsPattern{
		{"a non-blocking send takes part", `send\(\d+, <1048576 (?:bytes|字节)>, 0\) = \d+\n`, false},
		{"then EAGAIN", `send\(\d+, <\d+ (?:bytes|字节)>, 0\) → EAGAIN`, false},
		{"the number shown", `given 1048576 bytes and took \d+`, true},
		{"a signal cuts a blocking send short", `after [1-9]\d* signal\(s\) it returned: 1048576 bytes\s+asked, [1-9]\d* taken`, true},
		{"sendall is a loop", `1048576 bytes sent completely by \d+ send calls`, true},
		{"recv(1024) returns at most 1024", `recv\(1024\) called \d+ times, returning \[1024`, true},
		{"recv returns what has arrived", `recv\(\d+, 16384, 0\) = 4000`, false},
	}},
	{id: "addresses", facts: []factsPattern{
		{"127.0.0.1 refuses 127.0.0.2", `bound to 127.0.0.1: reached at 127.0.0.1; refused at 127.0.0.2 ECONNREFUSED`, true},
		{"0.0.0.0 reached at both", `bound to 0.0.0.0: reached at 127.0.0.1, 127.0.0.2; refused at -`, true},
		{"127.0.0.2 refuses 127.0.0.1", `bound to 127.0.0.2: reached at 127.0.0.2; refused at 127.0.0.1 ECONNREFUSED`, true},
		{"accepted sockets share the listener's port", `listener: 127\.0\.0\.1:(\d+)\n\s+conn 1: local 127\.0\.0\.1:(\d+), peer 127\.0\.0\.1:\d+\n\s+conn 2: local 127\.0\.0\.1:(\d+), peer`, true},
		{"TCP and UDP share a number", `UDP bind → 0, a second TCP bind → EADDRINUSE`, true},
		{"the ephemeral port", `got port \d+ at connect`, true},
	}},
	{id: "nonblocking", facts: []factsPattern{
		{"accept returns EAGAIN", `accept\(\d+\) → EAGAIN   # \d+ (?:µs|微秒)`, false},
		{"recv returns EAGAIN", `recv\(\d+, 1024, 0\) → EAGAIN   # \d+ (?:µs|微秒)`, false},
		{"B and C served before A speaks", `recv\(\d+\); send\(\d+\) = 12 \(B\)(.|\n)*\(C\)(.|\n)*= 12 \(A\)`, false},
		{"one goroutine, three clients", `one goroutine served 3 clients with \d+ calls to poll`, true},
	}},
}

// TestExperiments runs every experiment lesson end to end, in both
// languages, and checks its row of experimentFacts. Not parallel: it
// counts the process's sockets and goroutines.
func TestExperiments(t *testing.T) {
	ls, err := content.Builtin(content.English, content.KindExperiment)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, l := range ls {
		ids[l.ID] = true
	}
	rows := map[string]bool{}
	for _, row := range experimentFacts {
		rows[row.id] = true
		if !ids[row.id] {
			t.Errorf("experimentFacts has a row for %q, which is not an experiment lesson", row.id)
			continue
		}
		t.Run(row.id, func(t *testing.T) {
			pats := row.facts
			if row.here != nil {
				pats = append(slices.Clip(pats), row.here(t)...)
			}
			experimentEndToEnd(t, row.id, pats)
		})
	}
	for _, l := range ls {
		if !rows[l.ID] {
			t.Errorf("experiment %s has no row in experimentFacts (runner/experiments_test.go)", l.ID)
		}
	}
}

// callLineRE is a call as a plain run shows it: "  ▶ [who] call = ret",
// with ✓ or ✗ for an error, or "  … call" while it waits.
var callLineRE = regexp.MustCompile(`(?m)^  (?:[▶✓✗] \[[^\]\n]*\]|…) (.*)$`)

// experimentEndToEnd runs an experiment lesson in both languages without a
// terminal, as CI and --auto do, and checks the measured facts it prints.
// TestExperiments calls it with each row of experimentFacts.
func experimentEndToEnd(t *testing.T, id string, pats []factsPattern) {
	t.Helper()
	if len(pats) == 0 {
		t.Fatalf("no facts are checked for experiment %s", id)
	}
	for _, lang := range content.Langs {
		t.Run(string(lang), func(t *testing.T) {
			l := lesson(t, lang, id)
			if l.Kind != content.KindExperiment {
				t.Fatalf("%s is a %s, not an experiment", id, l.Kind)
			}
			before, goroutines := len(sockettest.Sockets(t)), runtime.NumGoroutine()
			out, err := plainRun(t, lang, id)
			if err != nil {
				t.Fatalf("experiment failed: %v\n%s", err, tail(out, 3000))
			}
			if !strings.Contains(out, content.Text(lang).T("lesson.done", l.Title)) {
				t.Errorf("the experiment did not reach its end")
			}
			if strings.Contains(out, "«") {
				t.Errorf("a message key is missing from the %s catalog:\n%s", lang, tail(out, 3000))
			}
			// The calls as they ran: code, and words in the lesson's
			// language (issue 16).
			names := lessonSockets(l)
			for _, m := range callLineRE.FindAllStringSubmatch(out, -1) {
				// The call, what it returned (a number, fd N, an
				// errno's name and its note), then its comment:
				// "call = ret   # comment". The comment is checked
				// with the call, as the lesson wrote it.
				call, comment, _ := strings.Cut(m[1], "   # ")
				ret := ""
				if i := max(strings.LastIndex(call, " = "), strings.LastIndex(call, " → ")); i >= 0 {
					call, ret = call[:i], call[i:]
				}
				if comment != "" {
					call += "   # " + comment
				}
				checkCallLine(t, lang, id, call, names)
				checkCallLine(t, lang, id, ret, names)
			}
			for _, p := range pats {
				if lang != content.English && p.label {
					continue
				}
				if !regexp.MustCompile(p.re).MatchString(out) {
					t.Errorf("%s: no match for %s in the output:\n%s", p.what, p.re, tail(out, 3000))
				}
			}
			if after := len(sockettest.Sockets(t)); after != before {
				t.Errorf("open sockets: %d before, %d after", before, after)
			}
			if after := goroutinesAfter(goroutines); after > goroutines {
				t.Errorf("goroutines: %d before, %d after the experiment", goroutines, after)
			}
		})
	}
}

// The experiment vocabulary from Markdown alone: a prediction printed
// with its answers (no prompt), the states of both ends drawn from the
// kernel, the explanation below <!-- after --> shown after the results.
func TestPredictStatesAfter(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "lessons", "predict.md"))
	if err != nil {
		t.Fatal(err)
	}
	l, err := content.Parse("predict.md", data)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	r, err := New(Options{Lang: content.English, Out: &out, Width: 80,
		Session: lessons.Config{Port: sockettest.FreePort(t)}, StepWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Run(context.Background(), l); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"what do you think will happen?",
		"1. connect is refused",
		"2. the handshake completes",
		"What the lesson expected: the handshake completes",
		"c (you)\n      CLOSED → SYN_SENT → [ESTABLISHED] → …",
		// The client closed first; the server has not closed yet, so
		// the client waits in FIN_WAIT2 for the server's FIN.
		"c (you)\n      CLOSED → SYN_SENT → ESTABLISHED → FIN_WAIT1 → [FIN_WAIT2] →",
		"conn (sockstep)\n      CLOSED → SYN_RECV → ESTABLISHED → [CLOSE_WAIT] → (LAST_ACK) → (CLOSED)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// The explanation comes after the states, not before the call.
	after, states := strings.Index(got, "AFTER-TEXT-MARKER"), strings.Index(got, "TCP states, read from the kernel")
	if after < 0 || states < 0 || after < states {
		t.Errorf("after-text at %d, states at %d: the explanation must follow the results\n%s", after, states, got)
	}
}
