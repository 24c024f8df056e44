//go:build !windows

package verify

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sockstep/sockstep/content"
)

// pyWrongTimeout bounds the checks of wrong Python programs: python3
// itself can take most of a second to start on a loaded machine, and a
// wrong program must fail for its mistake, not for a slow start.
const pyWrongTimeout = 3 * time.Second

var pyOnce struct {
	sync.Once
	path string
}

// python3 returns the interpreter or skips. It is the interpreter itself
// (sys.executable), not a version manager's shim, which would add a shell
// script's start to every check.
func python3(t testing.TB) string {
	t.Helper()
	pyOnce.Do(func() {
		py, err := exec.LookPath("python3")
		if err != nil {
			return
		}
		pyOnce.path = py
		if out, err := exec.Command(py, "-c", "import sys; print(sys.executable)").Output(); err == nil {
			if p := strings.TrimSpace(string(out)); p != "" {
				pyOnce.path = p
			}
		}
	})
	if pyOnce.path == "" {
		t.Skip("python3 is not installed: the Python programs in testdata/python are not checked")
	}
	return pyOnce.path
}

func pyProg(t testing.TB, name string) []string {
	return []string{python3(t), filepath.Join("testdata", "python", name+".py")}
}

// renderReport renders a result as the learner reads it, without colour.
func renderReport(lang content.Lang, r *Result) string {
	var b bytes.Buffer
	writeReport(&b, content.Text(lang), style{}, r)
	return b.String()
}

// Programs in C and Node.js, checked when the compiler or node is there.
// Each names its mistake first, in the program's own language: the advice
// holds the words of that language's API.
func TestOtherLanguages(t *testing.T) {
	node, nodeErr := exec.LookPath("node")
	tests := []struct {
		lang, name, hint, says string // hint "" means it must pass
	}{
		{"c", "tcp-client--half-close", "", ""},
		{"c", "udp-send--ok", "", ""},
		{"c", "tcp-file--byte-order", "byte_order", "htonl"},
		{"c", "tcp-client--no-flush", "client_never_closed", "fflush(stdout)"},
		{"c", "tcp-client--prompt", "", ""},
		{"c", "udp-recv--dual-stack", "", ""},
		{"c", "tcp-client--prompt-no-flush", "label", "fflush(stdout)"},
		{"node", "tcp-client--end", "", ""},
		{"node", "udp-send--ok", "", ""},
		{"node", "udp-send--close-early", "closed_before_sent", "() => sock.close()"},
		{"node", "tcp-file--byte-order", "byte_order", "writeUInt32BE"},
		{"node", "udp-send--close-in-readline", "closed_before_sent", "() => sock.close()"},
		{"node", "udp-recv--dual-stack", "", ""},
		{"go", "tcp-file--little-endian", "byte_order", "BigEndian.PutUint32"},
		{"python", "tcp-file--little-endian", "byte_order", "struct.pack"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.name, func(t *testing.T) {
			t.Parallel()
			var argv []string
			switch tt.lang {
			case "c":
				if !haveC {
					t.Skip("no C compiler: the C programs in testdata/c are not checked")
				}
				argv = []string{bin(tt.name)}
			case "node":
				if nodeErr != nil {
					t.Skip("node is not installed: the Node programs in testdata/node are not checked")
				}
				argv = []string{node, filepath.Join("testdata", "node", tt.name+".js")}
			case "go":
				argv = []string{bin(tt.name)}
			case "python":
				argv = pyProg(t, tt.name)
			}
			if got := programLanguage(argv, ""); got != tt.lang {
				t.Errorf("programLanguage(%q) = %q, want %q", argv, got, tt.lang)
			}
			id, _, _ := strings.Cut(tt.name, "--")
			timeout := pyWrongTimeout // python3 and node start slowly on a busy machine
			if tt.hint == "" {
				timeout = 0
			}
			r := check(t, id, argv, timeout)
			switch {
			case tt.hint == "" && !r.Passed:
				t.Fatalf("an honest program fails: diffs %+v, hints %v, stderr %q", r.Diffs, hintKeys(r), r.Obs.Stderr)
			case tt.hint == "":
				return
			case r.Passed:
				t.Fatal("a wrong program passed")
			case r.Hints[0].Key != "verify.hint."+tt.hint:
				t.Errorf("hints = %v, want %s first", hintKeys(r), tt.hint)
			}
			if out := renderReport(content.English, r); !strings.Contains(out, tt.says) {
				t.Errorf("the report lacks %q:\n%s", tt.says, out)
			}
			if out := renderReport(content.Chinese, r); !strings.Contains(out, tt.says) {
				t.Errorf("the zh report lacks %q:\n%s", tt.says, out)
			}
		})
	}
}

// A C prompt printed without fflush comes out on the reply's line: the
// hint names the prompt and fflush, in C's terms, not Python's.
func TestCPromptHint(t *testing.T) {
	if !haveC {
		t.Skip("no C compiler")
	}
	r := check(t, "tcp-client", []string{bin("tcp-client--prompt-no-flush")}, wrongTimeout)
	for _, lang := range []content.Lang{content.English, content.Chinese} {
		out := renderReport(lang, r)
		if !strings.Contains(out, `"请输入要发送的数据："`) || !strings.Contains(out, "fflush(stdout)") || strings.Contains(out, "print(data)") {
			t.Errorf("the %s report does not name the prompt and fflush in C's terms:\n%s", lang, out)
		}
	}
}

// A program at the right port on another address is told so at once, with
// the one hint: it is not left to wait out the time limit.
func TestWrongAddressSaidAtOnce(t *testing.T) {
	for _, name := range []string{"tcp-server--wrong-address", "udp-recv--wrong-address"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			id, _, _ := strings.Cut(name, "--")
			r := check(t, id, pyProg(t, name), 30*time.Second)
			if !r.Obs.WrongPort || r.Obs.TimedOut || len(r.Hints) != 1 || r.Hints[0].Key != "verify.hint.wrong_port" {
				t.Errorf("wrong port seen %v, timed out %v, hints %v; want the wrong_port hint alone, before the time limit", r.Obs.WrongPort, r.Obs.TimedOut, hintKeys(r))
			}
			if out := renderReport(content.English, r); !strings.Contains(out, "127.0.0.2:") {
				t.Errorf("the report does not name the address:\n%s", out)
			}
		})
	}
}

// A crash that names the 'gbk' codec is not told to call recv: the
// traceback says why the reply is missing.
func TestGBKCrashHints(t *testing.T) {
	r := check(t, "tcp-client", pyProg(t, "tcp-client--gbk-decode"), pyWrongTimeout)
	for _, k := range hintKeys(r) {
		if k == "verify.hint.reply_missing" {
			t.Errorf("hints = %v: reply_missing does not fit a crash", hintKeys(r))
		}
	}
}

// The C program that printf's and then blocks is told why its output is
// empty, in C's terms, besides its real mistake.
func TestBufferedOutputHint(t *testing.T) {
	if !haveC {
		t.Skip("no C compiler")
	}
	r := check(t, "tcp-client", []string{bin("tcp-client--no-flush")}, wrongTimeout)
	if !strings.Contains(strings.Join(hintKeys(r), " "), "verify.hint.buffered_output") {
		t.Errorf("hints = %v, want buffered_output among them", hintKeys(r))
	}
}

// What the report says, in both languages, for the verdicts of issue 13.
func TestReportWording(t *testing.T) {
	tests := []struct {
		prog   string
		lang   content.Lang
		says   []string
		passed bool
	}{
		{"tcp-file--extra-empty-lines", content.English, []string{"an extra empty line at the end of your output", "has 2 empty lines after the reply, and the contract forgives only one", `(no print() or + "\n")`, `print(reply, end="")`}, false},
		{"tcp-file--extra-empty-lines", content.Chinese, []string{"程序输出的末尾多了一个空行", "回复之后有 2 个空行，约定只容许一个", `拼上 "\n"`}, false},
		{"tcp-client--prompt", content.English, []string{"passed", "verify ignored what your program printed before the reply", `"请输入要发送的数据："`}, true},
		{"tcp-client--prompt", content.Chinese, []string{"通过", "忽略了", "请输入要发送的数据："}, true},
		{"tcp-client--label", content.English, []string{`printed "收到服务器的回复： " before the reply`}, false},
		{"tcp-client--label", content.Chinese, []string{`打印了 "收到服务器的回复： "`}, false},
		{"tcp-file--print-bytes", content.English, []string{`got:      "b'OK 100000\n'"`, "print(data.decode(\"utf-8\"))"}, false},
		{"udp-send--exit-newline", content.Chinese, []string{"第 4 个数据报是多出来的", `实际是："exit"`, "处不同"}, false},
		{"tcp-server--wrong-port", content.English, []string{"(no connection: nothing listened at PORT)"}, false},
		{"udp-recv--banner", content.Chinese, []string{"程序输出的第 1 行是多出来的", `实际是："等待接收数据……"`}, false},
		{"udp-recv--banner", content.English, []string{"line 1 of your output is one line too many"}, false},
		{"udp-recv--gbk", content.Chinese, []string{"乱码", "UTF-8"}, false},
		{"udp-send--gbk", content.English, []string{"encoded as GBK"}, false},
		{"tcp-client--gbk-decode", content.English, []string{"'gbk' codec"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.prog+"/"+string(tt.lang), func(t *testing.T) {
			t.Parallel()
			id, _, _ := strings.Cut(tt.prog, "--")
			timeout := pyWrongTimeout
			if tt.passed {
				timeout = 0
			}
			r := check(t, id, pyProg(t, tt.prog), timeout)
			if r.Passed != tt.passed {
				t.Fatalf("passed = %v, want %v; diffs %+v hints %v", r.Passed, tt.passed, r.Diffs, hintKeys(r))
			}
			out := renderReport(tt.lang, r)
			for _, s := range tt.says {
				if !strings.Contains(out, s) {
					t.Errorf("the report lacks %q:\n%s", s, out)
				}
			}
			if tt.lang == content.Chinese {
				// Chinese typography: nothing after a full-width colon
				// is a space, and an extra line never reads "应该是：（没有）".
				for _, bad := range []string{"： ", "应该是：（没有）", "（零字节）"} {
					if bad == "（零字节）" && strings.HasPrefix(tt.prog, "udp-send") {
						continue // an empty datagram has zero bytes
					}
					if strings.Contains(out, bad) && !strings.Contains(tt.prog, "label") {
						t.Errorf("the zh report holds %q:\n%s", bad, out)
					}
				}
			}
		})
	}
}

// A program that ignores PORT is told at once: verify does not wait out
// the time limit, says one thing, and lists no connection it never made.
func TestWrongPortAtOnce(t *testing.T) {
	for _, p := range []string{"tcp-server--wrong-port", "udp-recv--wrong-port"} {
		t.Run(p, func(t *testing.T) {
			t.Parallel()
			id, _, _ := strings.Cut(p, "--")
			r := check(t, id, pyProg(t, p), time.Minute)
			if r.Obs.TimedOut || !r.Obs.WrongPort {
				t.Errorf("timed out %v, wrong port %v: want the wrong port seen before the limit", r.Obs.TimedOut, r.Obs.WrongPort)
			}
			if len(r.Hints) != 1 || r.Hints[0].Key != "verify.hint.wrong_port" || len(r.Diffs) != 1 || r.DiffCount != 1 {
				t.Errorf("hints %v, %d diffs (count %d); want the wrong_port hint and one difference", hintKeys(r), len(r.Diffs), r.DiffCount)
			}
		})
	}
}

// volatile matches what changes from run to run in a report: the port,
// times in ms and s.
var volatile = regexp.MustCompile(`\d+(?:\.\d+)? (?:ms|s)\b|\d+\.\d+|127\.0\.0\.1 \d+`)

// The same program gets the same report, byte for byte, run after run:
// a server that closes its listening socket after its first client races
// verify's second connect (refused, or queued and reset), and both must
// read the same.
func TestSameReportEveryRun(t *testing.T) {
	argv := pyProg(t, "tcp-server--closes-listener")
	var first string
	for i := range 20 {
		r := check(t, "tcp-server", argv, 0)
		if r.Passed {
			t.Fatal("a wrong program passed")
		}
		out := strings.ReplaceAll(renderReport(content.English, r), strconv.Itoa(r.Obs.Port), "PORT")
		out = volatile.ReplaceAllString(out, "N")
		if i == 0 {
			first = out
			continue
		}
		if out != first {
			t.Fatalf("run %d differs from run 1:\n--- run 1\n%s\n--- run %d\n%s", i+1, first, i+1, out)
		}
	}
	if !strings.Contains(first, "Your server ended after 1 client(s)") {
		t.Errorf("the report lacks the server_exited hint:\n%s", first)
	}
}

// A flood of differences is kept to the first keptDiffs and counted, in
// linear time (a test of the count, not of the time).
func TestDiffCapped(t *testing.T) {
	got := Facts{Datagrams: make([]string, 300000), Exit: exitOK}
	copy(got.Datagrams, []string{"hello", "x"})
	want := Facts{Datagrams: []string{"hello", "你好", "c"}, Exit: exitOK}
	ds, n := compareCounted(want, got)
	if len(ds) != keptDiffs {
		t.Errorf("kept %d differences, want %d", len(ds), keptDiffs)
	}
	// datagram 2 changed, 3 changed, 4…300000 extra.
	if n != 300000-1 {
		t.Errorf("counted %d differences, want %d", n, 300000-1)
	}
	if d := ds[0]; d.Index != 2 || d.Want != "你好" || d.Got != "x" {
		t.Errorf("first difference %+v, want datagram 2 你好 → x", d)
	}
}

// The program that never sees "exit" floods empty datagrams until it is
// stopped; verify still ends within its limit and reports a bounded list.
func TestFloodReportBounded(t *testing.T) {
	r := check(t, "udp-send", pyProg(t, "udp-send--exit-newline"), pyWrongTimeout)
	if r.Passed || len(r.Diffs) > keptDiffs || r.DiffCount <= len(r.Diffs) {
		t.Errorf("passed %v, %d differences kept of %d", r.Passed, len(r.Diffs), r.DiffCount)
	}
	out := renderReport(content.English, r)
	if !regexp.MustCompile(`… and \d+ more differences`).MatchString(out) {
		t.Errorf("the report does not count the rest:\n%s", out)
	}
}

// The JUnit XML, read back with the fields GitLab's and GitHub's JUnit
// readers use: testsuites/testsuite with tests, failures, errors, time;
// testcase with name, classname, time; failure and error with message,
// type and text; system-err.
func TestJUnit(t *testing.T) {
	type failure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
	type testcase struct {
		Name      string   `xml:"name,attr"`
		Classname string   `xml:"classname,attr"`
		Time      float64  `xml:"time,attr"`
		Failure   *failure `xml:"failure"`
		Error     *failure `xml:"error"`
		SystemErr string   `xml:"system-err"`
	}
	type testsuite struct {
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Errors   int        `xml:"errors,attr"`
		Time     float64    `xml:"time,attr"`
		Cases    []testcase `xml:"testcase"`
	}
	type testsuites struct {
		XMLName xml.Name    `xml:"testsuites"`
		Tests   int         `xml:"tests,attr"`
		Suites  []testsuite `xml:"testsuite"`
	}
	cat := content.Text(content.English)
	rows := []row{
		{Submission: "alice.py", Status: statusPass, Passed: true, DurationMS: 40},
		{Submission: "bob\x1b[2J.py", Status: statusFail, FirstDifference: `datagram 1: expected "hello", got "hello\n"`,
			HintText: []string{"A datagram ends with a newline."}, StderrTail: []string{"Traceback <x> & \x07bell"}, DurationMS: 1500},
		{Submission: "carol.go", Status: statusBuildError, FirstDifference: "compiler: ./carol.go:3:2: undefined: x",
			BuildOutput: []string{"./carol.go:3:2: undefined: x", "./carol.go:4:2: declared and not used: y"}},
	}
	dir := t.TempDir()
	a := cmdArgs{exercise: "udp-send", batchDir: "subs", junit: filepath.Join(dir, "r.xml")}
	if err := writeExports(a, cat, rows); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(a.junit)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsAny(data, "\x1b\x07") {
		t.Errorf("control characters in the XML:\n%s", data)
	}
	var got testsuites
	if err := xml.Unmarshal(data, &got); err != nil {
		t.Fatalf("not XML: %v\n%s", err, data)
	}
	if got.Tests != 3 || len(got.Suites) != 1 {
		t.Fatalf("tests %d, %d suites:\n%s", got.Tests, len(got.Suites), data)
	}
	s := got.Suites[0]
	if s.Tests != 3 || s.Failures != 1 || s.Errors != 1 || len(s.Cases) != 3 || s.Time < 1.5 {
		t.Errorf("suite %+v", s)
	}
	alice, bob, carol := s.Cases[0], s.Cases[1], s.Cases[2]
	if alice.Name != "alice.py" || alice.Failure != nil || alice.Classname != "sockstep.verify.udp-send" || alice.Time != 0.04 {
		t.Errorf("alice: %+v", alice)
	}
	if bob.Failure == nil || !strings.HasPrefix(bob.Name, "bob") || bob.Failure.Type != "fail" ||
		bob.Failure.Message != rows[1].FirstDifference || !strings.Contains(bob.Failure.Text, "Hint: A datagram ends with a newline.") ||
		!strings.Contains(bob.Failure.Text, "Traceback <x> &") || !strings.Contains(bob.SystemErr, "Traceback") {
		t.Errorf("bob: %+v", bob)
	}
	if carol.Error == nil || carol.Error.Type != "build-error" || !strings.Contains(carol.Error.Text, "The compiler said:\n  ./carol.go:3:2: undefined: x\n  ./carol.go:4:2: declared and not used: y") {
		t.Errorf("carol: %+v", carol)
	}

	// A single check: one testcase, named after the exercise.
	a = cmdArgs{exercise: "tcp-client", junit: filepath.Join(dir, "one.xml")}
	if err := writeExports(a, cat, rows[1:2]); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(a.junit)
	got = testsuites{}
	if err := xml.Unmarshal(data, &got); err != nil || len(got.Suites[0].Cases) != 1 || got.Suites[0].Cases[0].Name != "tcp-client" {
		t.Errorf("single check: %v\n%s", err, data)
	}
}

// --junit through the command line, for a check and a batch.
func TestJUnitFlag(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "report.xml")
	var out, errOut bytes.Buffer
	code := Command(context.Background(), []string{"udp-send", "--junit", file, "--", bin("udp-send--newline")}, nil, &out, &errOut, content.English, nil)
	if code != ExitFail {
		t.Fatalf("exit %d, stderr %s", code, errOut.String())
	}
	data, err := os.ReadFile(file)
	if err != nil || !bytes.Contains(data, []byte(`<testcase name="udp-send"`)) || !bytes.Contains(data, []byte("<failure")) {
		t.Errorf("%v\n%s", err, data)
	}
}

// A flood that verify stops gets the same verdict every time: verify
// stops the program before closing the connection it stopped reading, so
// the program never sees a reset (it used to crash with
// ConnectionResetError about once in 40 runs).
func TestFloodVerdictStable(t *testing.T) {
	argv := pyProg(t, "tcp-client--flood")
	for i := range 20 {
		r := check(t, "tcp-client", argv, pyWrongTimeout)
		if r.Passed || len(r.Hints) == 0 || r.Hints[0].Key != "verify.hint.flooded" || r.Got.Exit != exitFlooded {
			t.Fatalf("run %d: passed %v, hints %v, exit %q, stderr %q", i+1, r.Passed, hintKeys(r), r.Got.Exit, r.Obs.Stderr)
		}
	}
}

// At a terminal the report is wrapped to its width: by display width
// (Chinese takes two columns), never inside a word, never with a line
// that starts with closing punctuation.
func TestReportWrapped(t *testing.T) {
	r := check(t, "tcp-client", pyProg(t, "tcp-client--label"), pyWrongTimeout)
	for _, lang := range []content.Lang{content.English, content.Chinese} {
		for _, width := range []int{60, 80} {
			var b bytes.Buffer
			writeReport(&b, content.Text(lang), style{width: width}, r)
			out := b.String()
			for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
				if displayWidth(l) > width {
					t.Errorf("%s at %d columns: a line of %d columns: %q", lang, width, displayWidth(l), l)
				}
				if trimmed := strings.TrimLeft(l, " "); trimmed != "" && strings.ContainsRune("，。、；：？！）」』”’》〉】,.;:?!)]}", []rune(trimmed)[0]) {
					t.Errorf("%s at %d columns: a line starts with closing punctuation: %q", lang, width, l)
				}
			}
			joined := strings.Join(strings.Fields(out), " ")
			for _, word := range []string{"print(data)", "print(\"label\","} {
				if lang == content.English && !strings.Contains(joined, word) {
					t.Errorf("%s at %d columns: %q is broken across lines:\n%s", lang, width, word, out)
				}
			}
		}
	}
}

// On a terminal, the progress bar is cut to its width, so that clearing it
// clears all of it, and the table's last column wraps under itself.
func TestBatchFitsTerminal(t *testing.T) {
	var b bytes.Buffer
	p := &progress{w: &b, cat: content.Text(content.English), tty: true, width: 60, total: 3}
	p.done(row{Submission: strings.Repeat("a-very-long-submission-name-", 4) + ".py", Status: statusPass})
	if line := strings.TrimPrefix(b.String(), "\r\x1b[K"); displayWidth(line) >= 60 {
		t.Errorf("a bar line of %d columns at 60: %q", displayWidth(line), line)
	}
	b.Reset()
	rows := []row{{Submission: "alice.py", Status: statusFail, FirstDifference: "connection 1: bytes your program sent: expected \"你好, server!\", got \"你好, server!\\n\""}}
	writeTable(&b, content.Text(content.English), style{width: 60}, rows)
	for _, l := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
		if displayWidth(l) > 60 {
			t.Errorf("a table line of %d columns at 60: %q", displayWidth(l), l)
		}
	}
}
