//go:build !windows

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/muesli/termenv"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
	"golang.org/x/term"
)

// binary is sockstep built once for the tests that run it as a learner
// would, from a shell with no terminal.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sockstep-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "sockstep")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

// sockstep runs the binary with no terminal (stdin from /dev/null) and a
// hard time limit; the whole process group is killed if it overstays.
func sockstep(t *testing.T, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(append(os.Environ(), "SOCKSTEP_PROGRESS="+filepath.Join(t.TempDir(), "p.json"), "LANG=C"), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, stdout.String(), stderr.String()}
}

func TestCommandLine(t *testing.T) {
	port := strconv.Itoa(sockettest.FreePort(t))
	tests := []struct {
		name     string
		args     []string
		env      []string
		code     int
		inStdout []string
		inStderr []string
		// notInStdout must not be printed.
		notInStdout []string
	}{
		{"no terminal: the menu lists lessons and exits", nil, nil, 0, []string{"Not a terminal", "udp-recv"}, nil, nil},
		{"help", []string{"--help"}, nil, 0, []string{"sockstep run LESSON", "--lang zh|en"}, nil, nil},
		{"help in Chinese from the locale", []string{"help"}, []string{"LANG=zh_CN.UTF-8"}, 0, []string{"用法"}, nil, nil},
		{"help for run", []string{"help", "run"}, nil, 0, []string{"one step at a time"}, nil, nil},
		{"help on an unknown command", []string{"help", "nosuch"}, nil, 2, nil, []string{"unknown command"}, nil},
		{"list", []string{"list", "--lang", "en"}, nil, 0, []string{"udp-recv"}, nil, nil},
		{"plain run ends by itself", []string{"run", "udp-recv", "--port", port}, nil, 0, []string{"Lesson finished", "recvfrom("}, nil, nil},
		{"Chinese run", []string{"run", "udp-recv", "--lang", "zh", "--port", port}, nil, 0, []string{"本课完成"}, nil, nil},
		{"show", []string{"show", "udp-recv"}, nil, 0, []string{"Step 6 of 6"}, nil, nil},
		{"show a name shared by a lesson and an exercise: both", []string{"show", "tcp-server", "--lang", "en"}, nil, 0, []string{"Step 1 of", "sockstep verify tcp-server -- YOUR PROGRAM", "# TCP echo server: one client after another", "## What your program gets"}, nil, nil},
		{"show an exercise only", []string{"show", "tcp-file", "--lang", "zh"}, nil, 0, []string{"用 TCP 发送文件：先发长度", "## 程序会收到什么"}, nil, nil},
		{"unknown lesson", []string{"run", "nope"}, nil, 2, nil, []string{`no lesson called "nope"`, "udp-recv"}, nil},
		{"show an unknown name lists lessons and exercises", []string{"show", "nope", "--lang", "en"}, nil, 2, nil, []string{"Lessons: intro,", "Exercises: tcp-client, ", "tcp-file, "}, nil},
		{"unknown exercise", []string{"exercises", "nope", "--lang", "zh"}, nil, 2, nil, []string{"现有练习：tcp-client, ", "tcp-file, "}, nil},
		{"unknown command", []string{"frobnicate"}, nil, 2, nil, []string{"unknown command"}, nil},
		{"bad flag", []string{"run", "udp-recv", "--colour"}, nil, 2, nil, []string{"there is no flag --colour", "--help"}, nil},
		{"bad flag, in Chinese even before --lang is read", []string{"--bogus", "--lang", "zh"}, nil, 2, nil, []string{"没有 --bogus 这个参数"}, nil},
		{"flag without its value", []string{"run", "intro", "--port"}, []string{"LANG=zh_CN.UTF-8"}, 2, nil, []string{"--port 后面需要一个值"}, nil},
		{"flag with a bad value", []string{"--width", "abc", "--lang", "en"}, nil, 2, nil, []string{`"abc" is not a valid value for --width`}, nil},
		{"bad port", []string{"run", "udp-recv", "--port", "70000"}, nil, 2, nil, []string{"out of range"}, nil},
		{"bad host", []string{"run", "udp-recv", "--host", "no.such.host.invalid"}, nil, 2, nil, []string{"cannot be used"}, nil},
		// Refused before any socket is made: nothing is sent anywhere.
		{"a host this machine does not have", []string{"run", "udp-recv", "--host", "203.0.113.7", "--lang", "zh"}, nil, 2, nil, []string{"--host 203.0.113.7 不是本机的地址"}, []string{"学生连接"}},
		{"bad language", []string{"run", "udp-recv", "--lang", "fr"}, nil, 2, nil, []string{"--lang zh"}, nil},
		{"bad style", []string{"run", "udp-recv", "--style", "neon"}, nil, 2, nil, []string{"dark"}, nil},
		{"run needs a lesson", []string{"run"}, nil, 2, nil, []string{"name one lesson"}, nil},
		{"progress", []string{"progress"}, nil, 0, []string{"Lessons finished: 0"}, nil, nil},
		{"steps", []string{"steps"}, nil, 0, []string{"sendto", "expect=ERRNO", "<!-- step: accept srv as=conn -->", "[backlog=128]", "[size=1400]"}, nil, nil},
		{"lint the built-in lessons", []string{"lint", "content/lessons/zh/tcp-server.md", "content/lessons/en/tcp-server.md"}, nil, 0, []string{"2 file(s) checked, no problems"}, nil, nil},
		{"lint needs files", []string{"lint"}, nil, 2, nil, []string{"name the lesson files"}, nil},
		{"lint a file without translation", []string{"lint", "README.md"}, nil, 1, []string{"README.md:1:", "problem(s)"}, nil, nil},
		{"a flag the command does not take", []string{"progress", "--step", "9"}, nil, 2, nil, []string{"sockstep progress does not take --step", "--lang, --reset"}, nil},
		{"a flag the command does not take, in Chinese", []string{"list", "--solution", "--lang", "zh"}, nil, 2, nil, []string{"sockstep list 不接受 --solution 这个参数"}, nil},
		{"a flag the command does not take, before the command", []string{"--role", "server", "exercises"}, nil, 2, nil, []string{"sockstep exercises does not take --role"}, nil},
		{"lint takes no --record", []string{"lint", "--record", "x.md", "content/lessons/en/intro.md"}, nil, 2, nil, []string{"sockstep lint does not take --record"}, nil},
		{"help lists each command's flags", []string{"help", "progress", "--lang", "zh"}, nil, 0, []string{"sockstep progress", "--reset", "清空学习进度"}, nil, []string{"--port"}},
		{"help of an alias", []string{"help", "exercise"}, nil, 0, []string{"sockstep exercises [ID]", "--solution"}, nil, nil},
		{"--help after a command", []string{"show", "--help"}, nil, 0, []string{"sockstep show LESSON", "--plain"}, nil, []string{"--record"}},
		{"a word too many", []string{"progress", "now"}, nil, 2, nil, []string{`unexpected word "now"`}, nil},
		{"show --plain is Markdown without directives", []string{"show", "udp-recv", "--plain"}, nil, 0, []string{"## Step 2 of 6 · Bind an address", "`bind`"}, nil, []string{"<!--"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sockstep(t, tt.env, tt.args...)
			if r.code != tt.code {
				t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tt.code, tail(r.stdout), r.stderr)
			}
			for _, s := range tt.inStdout {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, tail(r.stdout))
				}
			}
			for _, s := range tt.inStderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
			for _, s := range tt.notInStdout {
				if strings.Contains(r.stdout, s) {
					t.Errorf("stdout holds %q:\n%s", s, tail(r.stdout))
				}
			}
			if strings.Contains(r.stdout, "\x1b") {
				t.Error("output without a terminal contains escape sequences")
			}
		})
	}
}

func tail(s string) string {
	if len(s) > 2000 {
		return "…" + s[len(s)-2000:]
	}
	return s
}

// TestPortInUse: the lesson's port is taken; the learner is told so and
// pointed at --port, and nothing hangs.
func TestPortInUse(t *testing.T) {
	l, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := strconv.Itoa(l.LocalAddr().(*net.UDPAddr).Port)
	r := sockstep(t, nil, "run", "udp-recv", "--port", port)
	if r.code != 1 {
		t.Errorf("exit status %d, want 1", r.code)
	}
	for _, s := range []string{"EADDRINUSE", "--port"} {
		if !strings.Contains(r.stdout+r.stderr, s) {
			t.Errorf("output lacks %q:\n%s\n%s", s, tail(r.stdout), r.stderr)
		}
	}
}

// TestPrivilegedPort: a port below 1024 without privilege is explained.
// As root (CI), the check runs as nobody through setpriv, as
// TestLossyLinkWithoutRoot does: root may bind port 7 (ip(7),
// ip_unprivileged_port_start).
func TestPrivilegedPort(t *testing.T) {
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_unprivileged_port_start"); err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && n <= 7 {
			t.Skipf("ip_unprivileged_port_start is %d here: anyone may bind port 7", n)
		}
	}
	args := []string{"run", "udp-recv", "--port", "7"}
	if os.Geteuid() != 0 {
		r := sockstep(t, nil, args...)
		if r.code != 1 || !strings.Contains(r.stdout, "EACCES") {
			t.Errorf("exit %d, output:\n%s", r.code, tail(r.stdout))
		}
		return
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Fatalf("running as root, and setpriv (util-linux) is missing to run the check as nobody: %v", err)
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o777)
	os.Chmod(filepath.Dir(binary), 0o755)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, setpriv, append([]string{"--reuid", "65534", "--regid", "65534", "--clear-groups", binary}, args...)...)
	cmd.Env = append(os.Environ(), "SOCKSTEP_PROGRESS="+filepath.Join(dir, "p.json"), "HOME="+dir, "LANG=C")
	cmd.Stdin = nil // /dev/null: no terminal, as in CI
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(stdout.String(), "EACCES") {
		t.Errorf("as nobody: %v, output:\n%s", err, tail(stdout.String()))
	}
}

// TestRemoteHostWarns: a non-loopback --host is the classroom opt-in and
// always prints a warning first. The lesson is not run: only loopback is
// used in tests.
func TestRemoteHostWarns(t *testing.T) {
	r := sockstep(t, nil, "show", "udp-recv", "--host", "0.0.0.0")
	if r.code != 0 || !strings.Contains(r.stderr, "WARNING") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	// The addresses to give the class, when the machine has any.
	if addrs, _ := net.InterfaceAddrs(); hasRoutable(addrs) && !strings.Contains(r.stderr, "students connect to:") {
		t.Errorf("no address for the class in:\n%s", r.stderr)
	}
	// An IPv4 socket is reached at IPv4 addresses only.
	for _, line := range strings.Split(r.stderr, "\n") {
		if addr, ok := strings.CutPrefix(strings.TrimSpace(line), "students connect to: "); ok && strings.Contains(strings.Fields(addr)[0], ":") {
			t.Errorf("0.0.0.0 given an IPv6 address: %q", line)
		}
	}
}

// TestPairCommands: the command printed for the other terminal of a
// classroom server names the machine's addresses, one command each, never
// --host 0.0.0.0; on loopback it is one command without --host.
func TestPairCommands(t *testing.T) {
	l, err := content.Builtin(content.English, "")
	if err != nil {
		t.Fatal(err)
	}
	var srv *content.Lesson
	for _, x := range l {
		if x.ID == "tcp-server" {
			srv = x
		}
	}
	got := lessons.PairCommands(srv.Pair, srv.Role, netip.MustParseAddr("0.0.0.0"), 9000, "zh")
	if len(got) == 0 {
		t.Fatal("no command")
	}
	for _, c := range got {
		if !strings.HasPrefix(c, "sockstep run tcp-client --role client --port 9000") || !strings.HasSuffix(c, "--lang zh") ||
			strings.Contains(c, "0.0.0.0") || strings.Count(c, ":") > 0 {
			t.Errorf("command %q", c)
		}
	}
	if got := lessons.PairCommands(srv.Pair, srv.Role, netip.MustParseAddr("127.0.0.1"), lessons.DefaultPort, ""); len(got) != 1 || got[0] != "sockstep run tcp-client --role client" {
		t.Errorf("loopback: %q", got)
	}
}

// TestSignals sends each signal that ends a run (Ctrl-C's SIGINT, a
// closed terminal's SIGHUP, kill's SIGTERM) while a lesson blocks in
// recvfrom: the process must end at once with 128 + the signal's number,
// say every socket is closed, and still write the --record transcript.
func TestSignals(t *testing.T) {
	lessonFile := filepath.Join(t.TempDir(), "wait.md")
	os.WriteFile(lessonFile, []byte("---\nid: wait\ntitle: wait\nsummary: waits\n---\n# wait\n\n## socket\n<!-- step: socket rx udp -->\n<!-- step: bind rx port=0 -->\n\n## wait\n<!-- step: recvfrom rx -->\n"), 0o644)
	// port=0: the kernel picks a port no other test knows, so no stray
	// datagram ends the wait before the signal does.
	for _, c := range []struct {
		sig  syscall.Signal
		code int
	}{
		{syscall.SIGINT, 130},
		{syscall.SIGHUP, 129},
		{syscall.SIGTERM, 143},
	} {
		t.Run(c.sig.String(), func(t *testing.T) {
			record := filepath.Join(t.TempDir(), "class.md")
			p := startSockstep(t, "run", lessonFile, "--record", record)
			interrupt(t, p, "Step 2 of 2", 300*time.Millisecond, c.sig, c.code) // recvfrom is waiting by then
			if data, err := os.ReadFile(record); err != nil || !strings.Contains(string(data), "socket") {
				t.Errorf("transcript: %v\n%s", err, data)
			}
		})
	}
}

// TestVerifySignals: a signal during a single verify ends it with the
// signal's status, not 1 "not passed".
func TestVerifySignals(t *testing.T) {
	for _, c := range []struct {
		sig  syscall.Signal
		code int
	}{
		{syscall.SIGINT, 130},
		{syscall.SIGHUP, 129},
		{syscall.SIGTERM, 143},
	} {
		t.Run(c.sig.String(), func(t *testing.T) {
			// The program may run as nobody (verify's isolation, as root):
			// its marker goes in a folder anyone may reach and write.
			dir, err := os.MkdirTemp("", "sockstep-signal")
			if err != nil {
				t.Fatal(err)
			}
			defer os.RemoveAll(dir)
			os.Chmod(dir, 0o777)
			started := filepath.Join(dir, "started")
			p := startSockstep(t, "verify", "tcp-client", "--", "sh", "-c", `touch "$0"; exec sleep 30`, started)
			deadline := time.Now().Add(20 * time.Second)
			for _, err := os.Stat(started); err != nil; _, err = os.Stat(started) {
				if time.Now().After(deadline) {
					t.Fatalf("the program never started:\n%s", p.out.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			p.cmd.Process.Signal(c.sig)
			if code := p.wait(t); code != c.code {
				t.Errorf("exit %d, want %d:\n%s", code, c.code, tail(p.out.String()))
			}
		})
	}
}

// TestInterruptExperiment: Ctrl-C while an experiment is busy moving data
// (the throughput blast) ends it at once with status 130.
func TestInterruptExperiment(t *testing.T) {
	p := startSockstep(t, "run", "throughput", "--auto")
	interrupt(t, p, "Step 1 of 2", 200*time.Millisecond, syscall.SIGINT, 130) // inside the transfer
}

// interrupt waits until p has printed marker and then settle more, sends
// sig, and expects exit status code within 5 s, with the word that every
// socket was closed.
func interrupt(t *testing.T, p *proc, marker string, settle time.Duration, sig syscall.Signal, code int) {
	t.Helper()
	waitFor(t, &p.out, marker)
	time.Sleep(settle)
	p.cmd.Process.Signal(sig)
	select {
	case err := <-p.done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != code {
			t.Errorf("exit: %v, want status %d\n%s", err, code, tail(p.out.String()))
		}
		if !strings.Contains(p.out.String(), "every socket has been closed") {
			t.Errorf("no word of the interruption:\n%s", tail(p.out.String()))
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("still running 5 s after %v:\n%s", sig, tail(p.out.String()))
	}
}

// TestColorProfile: colour follows the terminal's TERM, and NO_COLOR turns
// it off.
func TestColorProfile(t *testing.T) {
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	defer ptm.Close()
	defer tty.Close()
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	if p := colorProfile(tty, env("TERM", "xterm-256color")); p == termenv.Ascii {
		t.Error("a 256-colour terminal got no colour")
	}
	if p := colorProfile(tty, env("TERM", "xterm-256color", "NO_COLOR", "1")); p != termenv.Ascii {
		t.Errorf("NO_COLOR set, profile %v, want Ascii", p)
	}
	if p := colorProfile(os.Stdin, env("TERM", "xterm-256color")); p != termenv.Ascii && !term.IsTerminal(int(os.Stdin.Fd())) {
		t.Errorf("not a terminal, profile %v, want Ascii", p)
	}
}

// TestReadmeLessonExample runs the example lesson of the README's
// "Writing a lesson" section, so that the example stays true.
func TestReadmeLessonExample(t *testing.T) {
	lesson := sockettest.ReadmeExample(t, "README.md")
	dir := t.TempDir()
	file := filepath.Join(dir, "my-first-call.en.md")
	os.WriteFile(file, []byte(lesson), 0o644)
	// The same lesson stands in for its Chinese translation: lint compares
	// the steps, not the words.
	os.WriteFile(filepath.Join(dir, "my-first-call.zh.md"), []byte(lesson), 0o644)
	if r := sockstep(t, nil, "lint", filepath.Join(dir, "my-first-call.zh.md"), file); r.code != 0 {
		t.Errorf("lint: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r := sockstep(t, nil, "run", file, "--port", strconv.Itoa(sockettest.FreePort(t)))
	for _, want := range []string{
		`data (2 bytes): "hi"`,
		`data (2 bytes): "ok"`, // the server answers, so the caller closes with nothing unread: FIN, not RST
		"What the lesson expected: connect returns before anyone answers",
		"[TIME_WAIT]",
		"the kernel completes the handshake for the server",
	} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("exit %d, output lacks %q\nstdout:\n%s\nstderr:\n%s", r.code, want, tail(r.stdout), r.stderr)
		}
	}
}

// TestLessonsDir: an instructor's folder joins the menu and can be run;
// a lesson with a built-in id replaces the built-in one.
func TestLessonsDir(t *testing.T) {
	dir := t.TempDir()
	lesson := "---\nid: %s\ntitle: %s\nsummary: s\norder: 1\n---\n# t\n\n## one\n<!-- step: socket rx udp -->\n<!-- step: bind rx -->\n"
	for _, lang := range []string{"en", "zh"} {
		os.MkdirAll(filepath.Join(dir, lang), 0o755)
		os.WriteFile(filepath.Join(dir, lang, "mine.md"), []byte(fmt.Sprintf(lesson, "mine", "Course lesson "+lang)), 0o644)
		os.WriteFile(filepath.Join(dir, lang, "intro.md"), []byte(fmt.Sprintf(lesson, "intro", "Adapted intro "+lang)), 0o644)
		os.WriteFile(filepath.Join(dir, lang, "late.md"), []byte(strings.Replace(fmt.Sprintf(lesson, "late", "Late lesson "+lang), "order: 1", "order: 999", 1)), 0o644)
	}
	r := sockstep(t, nil, "list", "--lessons", dir)
	if a, b := strings.Index(r.stdout, "Late lesson en"), strings.Index(r.stdout, "lesson tcp-server"); a < 0 || a < b {
		t.Errorf("list --lessons: order: 999 is not listed after the built-in lessons:\n%s", r.stdout)
	}
	if r.code != 0 || !strings.Contains(r.stdout, "Course lesson en") || !strings.Contains(r.stdout, "Adapted intro en") || strings.Contains(r.stdout, "Introduction: programs") {
		t.Errorf("list --lessons: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = sockstep(t, nil, "run", "mine", "--lessons", dir, "--lang", "zh", "--port", strconv.Itoa(sockettest.FreePort(t)))
	if r.code != 0 || !strings.Contains(r.stdout, "Course lesson zh") {
		t.Errorf("run from --lessons: exit %d\n%s%s", r.code, tail(r.stdout), r.stderr)
	}
	if r := sockstep(t, nil, "list", "--lessons", filepath.Join(dir, "missing"), "--lang", "zh"); r.code == 0 || !strings.Contains(r.stderr, "--lessons 需要一个文件夹") {
		t.Errorf("a missing --lessons folder: exit %d, %s", r.code, r.stderr)
	}

	// A flat folder: NAME.zh.md and NAME.en.md are one lesson in two
	// languages, NAME.md serves both; each language lists it once.
	flat := t.TempDir()
	for _, lang := range []string{"en", "zh"} {
		os.WriteFile(filepath.Join(flat, "mine."+lang+".md"), []byte(fmt.Sprintf(lesson, "mine", "Flat lesson "+lang)), 0o644)
	}
	os.WriteFile(filepath.Join(flat, "both.md"), []byte(fmt.Sprintf(lesson, "both", "Both languages")), 0o644)
	for _, lang := range []string{"en", "zh"} {
		r := sockstep(t, nil, "list", "--lessons", flat, "--lang", lang)
		if r.code != 0 || strings.Count(r.stdout, " mine ") != 1 || !strings.Contains(r.stdout, "Flat lesson "+lang) || strings.Count(r.stdout, "Both languages") != 1 {
			t.Errorf("list --lessons (flat) --lang %s: exit %d\n%s%s", lang, r.code, r.stdout, r.stderr)
		}
	}
	// Two files of one language with one id: an error naming both.
	os.WriteFile(filepath.Join(flat, "again.en.md"), []byte(fmt.Sprintf(lesson, "mine", "Again")), 0o644)
	r = sockstep(t, nil, "list", "--lessons", flat, "--lang", "en")
	if r.code == 0 || !strings.Contains(r.stderr, "mine.en.md:2: this lesson has the id mine, as ") || !strings.Contains(r.stderr, "again.en.md already does") {
		t.Errorf("two lessons with one id: exit %d, %s", r.code, r.stderr)
	}
}

// TestLessonsDirProblems: a lesson of the folder with mistakes is refused
// with every one of them, at its path in the folder, in the learner's
// language.
func TestLessonsDirProblems(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "zh"), 0o755)
	os.WriteFile(filepath.Join(dir, "zh", "bad.md"), []byte("---\nid: bad\norder: abc\nrole: boss\n---\n## S\n<!-- step: socket rx udp -->\n"), 0o644)
	r := sockstep(t, nil, "run", "bad", "--lessons", dir, "--lang", "zh", "--auto")
	for _, want := range []string{filepath.Join(dir, "zh", "bad.md") + ":3: order: \"abc\" 不是整数", filepath.Join(dir, "zh", "bad.md") + ":4: role: \"boss\" 不是角色"} {
		if r.code == 0 || !strings.Contains(r.stderr, want) {
			t.Errorf("exit %d, stderr lacks %q:\n%s", r.code, want, r.stderr)
		}
	}
}

// TestBrokenLessons: run, show and --lessons refuse a lesson with any
// problem lint finds (but a missing translation), list every problem once
// in the learner's language, run nothing and exit 2; a folder with any
// problem is refused as a whole, built-in lessons included.
func TestBrokenLessons(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"b2.en.md": "---\nid: b2\ntitle: B2\nsummary: s\n---\n# B2\n\n## One\n<!-- step: socket u udp -->\n\n<!-- step: bind u port=abc -->\n<!-- step: bind u port=99999 -->\n<!-- step: recv ghost -->\n",
		"b3.en.md": "---\nid: b3\ntitle: B3\nsummary: s\ncolor: red\n---\n## One\n<!-- step: socket u udp -->\n",
		"e1.en.md": "---\nid: e1\ntitle: E1\nsummary: s\n---\n",
		"p1.en.md": "---\nid: p1\ntitle: P1\nsummary: s\nrole: server\npair: nosuch\n---\n## One\n<!-- step: socket u tcp -->\n",
		"t1.en.md": "---\nid: t1\ntitle: T1\nsummary: s\n---\n## One\n<!-- step: socket u udp -->\n",
		"t1.zh.md": "---\nid: t1\ntitle: T1\nsummary: s\n---\n## One\n<!-- step: socket u tcp -->\n",
	}
	for name, text := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
	}
	at := func(name string, line int) string { return fmt.Sprintf("%s:%d: ", filepath.Join(dir, name), line) }
	all := []string{at("b2.en.md", 11) + "port=abc", at("b2.en.md", 12) + "port=99999", at("b2.en.md", 13),
		at("b3.en.md", 5), at("e1.en.md", 1), at("p1.en.md", 6) + "pair: nosuch", at("t1.en.md", 6), at("t1.zh.md", 6)}
	b2 := filepath.Join(dir, "b2.en.md")
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"list", "--lessons", dir}, append(all, "8 problem(s) in 6 file(s)")},
		{[]string{"run", "tcp-server", "--lessons", dir, "--auto"}, all},
		{[]string{"run", "p1", "--lessons", dir, "--auto"}, all},
		{[]string{"run", "e1", "--lessons", dir, "--lang", "zh"}, append(all, "个问题")},
		{[]string{"show", "b2", "--lessons", dir}, all},
		{[]string{"run", b2, "--auto"}, []string{b2 + ":11: port=abc", b2 + ":12: port=99999", b2 + `:13: socket "ghost"`, "3 problem(s)"}},
		{[]string{"show", b2, "--lang", "zh"}, []string{b2 + ":11: port=abc 既不是", b2 + ":12: port=99999", b2 + ":13: 套接字 \"ghost\"", "3 个问题"}},
		{[]string{"show", filepath.Join(dir, "nosuch.md"), "--lang", "zh"}, []string{"nosuch.md: 没有这个文件。"}},
	} {
		r := sockstep(t, nil, c.args...)
		if r.code != exitUsage || r.stdout != "" {
			t.Errorf("%v: exit %d, want 2 and nothing run or shown; stdout:\n%s", c.args, r.code, tail(r.stdout))
		}
		for _, w := range c.want {
			if strings.Count(r.stderr, w) != 1 {
				t.Errorf("%v: stderr has %q %d times, want once:\n%s", c.args, w, strings.Count(r.stderr, w), r.stderr)
			}
		}
		if lines := strings.Count(r.stderr, "\n"); !slices.Contains(c.args, "--lessons") && lines != len(c.want) {
			t.Errorf("%v: %d lines, want %d (no other list after the problems):\n%s", c.args, lines, len(c.want), r.stderr)
		}
	}
}

// TestFileProblemsInLearnersWords: a --record or --pcap file that cannot
// be written, a lesson file that is not there and a bad --auto delay are
// said in the learner's language, before anything runs, with exit 2
// (--pcap: 1, the capture failing).
func TestFileProblemsInLearnersWords(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"run", "udp-recv", "--record", "/nonexistent/x.md", "--lang", "zh", "--auto"}, 2, "--record /nonexistent/x.md：记录无法写到那里：没有这个文件或文件夹。"},
		{[]string{"run", "udp-recv", "--record", dir, "--lang", "en", "--auto"}, 2, "it is a folder, not a file. Nothing was run."},
		{[]string{"run", "udp-recv", "--pcap", "/nonexistent/x.pcap", "--lang", "zh", "--auto"}, 2, "sockstep：--pcap /nonexistent/x.pcap：抓包文件无法写到那里：没有这个文件或文件夹。什么也没有运行。"},
		{[]string{"run", "tcp-server", "--auto=3x", "--lang", "zh"}, 2, `--auto "3x" 不是延时`},
		{[]string{"run", "tcp-server", "--auto", "3x", "--lang", "en"}, 2, `--auto "3x" is not a delay`},
		{[]string{"run", "tcp-server", "--auto", "0s", "--lang", "en"}, 2, `--auto "0s" is not a delay`},
		{[]string{"show", "./nosuch.md", "--lang", "zh"}, 2, "nosuch.md: 没有这个文件。"},
	} {
		r := sockstep(t, nil, c.args...)
		if r.code != c.code || r.stdout != "" || !strings.Contains(r.stderr, c.want) || strings.Contains(r.stderr, "no such file") || strings.Contains(r.stderr, "invalid") {
			t.Errorf("%v: exit %d, want %d and %q; stdout:\n%s\nstderr:\n%s", c.args, r.code, c.code, c.want, tail(r.stdout), r.stderr)
		}
	}
}

// TestRecordFailsAtTheEnd: a transcript that cannot be written when the
// lesson ends (here: larger than ulimit -f lets the process write, after
// the check at the start found the folder writable) is said in the
// learner's language and gives exit status 1, not 0.
func TestRecordFailsAtTheEnd(t *testing.T) {
	rec := filepath.Join(t.TempDir(), "rec.md")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// The limit is set by the shell for the binary alone; the arguments
	// are the shell's positional parameters, never shell text.
	cmd := exec.CommandContext(ctx, "sh", "-c", `ulimit -f 4 && exec "$0" "$@"`, binary, "run", "udp-recv",
		"--record", rec, "--auto", "--lang", "zh", "--port", strconv.Itoa(sockettest.FreePort(t)))
	cmd.Env = append(os.Environ(), "SOCKSTEP_PROGRESS="+filepath.Join(t.TempDir(), "p.json"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitFail || !strings.Contains(stderr.String(), "无法把记录写入 "+rec+"：文件会超过") {
		t.Errorf("err %v, stderr:\n%s\nstdout:\n%s", err, stderr.String(), tail(stdout.String()))
	}
}

func hasRoutable(addrs []net.Addr) bool {
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			return true
		}
	}
	return false
}

// TestLossyLinkWithoutRoot runs the lossy-link experiment as an ordinary
// user (nobody), as most learners are: no namespace can be made, so the
// seeded relay carries the UDP half and the lesson says why.
func TestLossyLinkWithoutRoot(t *testing.T) {
	setpriv, err := exec.LookPath("setpriv")
	if os.Geteuid() != 0 || err != nil {
		t.Skip("needs root and setpriv to become an ordinary user; the relay itself is tested in lessons/")
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o777)
	os.Chmod(filepath.Dir(binary), 0o755)
	cmd := exec.Command(setpriv, "--reuid", "65534", "--regid", "65534", "--clear-groups", binary, "run", "lossy-link", "--auto", "--lang", "en")
	cmd.Env = append(os.Environ(), "SOCKSTEP_PROGRESS="+filepath.Join(dir, "p.json"), "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, tail(string(out)))
	}
	for _, want := range []string{"No private network namespace here", "a relay on 127.0.0.1", "TCP not shown"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, tail(string(out)))
		}
	}
}

// TestWindowsAnswer: where lessons cannot run (Windows), run, verify and
// classroom say what to do, in both languages, and exit 1; the commands
// that only read work.
func TestWindowsAnswer(t *testing.T) {
	forceNoKernel = true
	defer func() { forceNoKernel = false }()
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"run", "tcp-server", "--lang", "en"}, 1, "wsl --install -d Ubuntu"},
		{[]string{"run", "tcp-server", "--lang", "en"}, 1, "go run . run"},
		{[]string{"verify", "udp-send", "--lang", "zh", "--", "python3", "x.py"}, 1, "以管理员身份打开 PowerShell"},
		{[]string{"classroom", "tcp-server", "--lang", "en"}, 1, "Linux or macOS kernel"},
		{[]string{"steps", "--lang", "en"}, 0, ""},
		{[]string{"show", "udp-recv", "--lang", "en"}, 0, ""},
	} {
		stdout, stderr := tempFile(t), tempFile(t)
		code := run(context.Background(), c.args, env{stdin: tempFile(t), stdout: stdout, stderr: stderr, getenv: func(string) string { return "" }})
		out, _ := os.ReadFile(stderr.Name())
		if code != c.code || !strings.Contains(string(out), c.want) {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant %d and %q", c.args, code, out, c.code, c.want)
		}
	}
}

func tempFile(t *testing.T) *os.File {
	f, err := os.CreateTemp(t.TempDir(), "f")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestParseFlags: the command's name is found among flags, the flags may
// stand anywhere, --auto takes a delay as its next word, words after --
// are words, and --port is known to have been given.
func TestParseFlags(t *testing.T) {
	for _, c := range []struct {
		args    []string
		name    string
		words   string
		delay   time.Duration
		port    int
		portSet bool
	}{
		{[]string{"run", "tcp-server", "--auto"}, "run", "tcp-server", 0, 7788, false},
		{[]string{"--auto", "3s", "run", "tcp-server"}, "run", "tcp-server", 3 * time.Second, 7788, false},
		{[]string{"--port", "9000", "run", "x", "--auto", "2s"}, "run", "x", 2 * time.Second, 9000, true},
		{[]string{"--port", "7788", "run", "x"}, "run", "x", 0, 7788, true},
		{[]string{"lint", "--", "-odd.md", "--lang"}, "lint", "-odd.md --lang", 0, 7788, false},
		{[]string{"--lang", "zh"}, "", "", 0, 7788, false},
	} {
		name, rest, err := splitCommand(c.args)
		if err != nil || name != c.name {
			t.Errorf("%q: command %q, %v; want %q", c.args, name, err, c.name)
			continue
		}
		o, words, err := parseFlags(lookup(name), rest)
		if err != nil || strings.Join(words, " ") != c.words || o.auto.delay != c.delay || o.port != c.port || o.portSet != c.portSet {
			t.Errorf("%q: words %q, delay %v, port %d (set %v), %v", c.args, words, o.auto.delay, o.port, o.portSet, err)
		}
	}
}

// TestSignalCause: the signal that ended a run is read from the context's
// cause, by its method (as a package that cannot import main does), and
// gives the exit status.
func TestSignalCause(t *testing.T) {
	for sig, code := range map[syscall.Signal]int{syscall.SIGINT: 130, syscall.SIGHUP: 129, syscall.SIGTERM: 143} {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(SignalCause{sig})
		var s interface{ Signal() os.Signal }
		if !errors.As(context.Cause(ctx), &s) || s.Signal() != sig {
			t.Errorf("%v: cause %v", sig, context.Cause(ctx))
		}
		if got := interruptedStatus(ctx); got != code {
			t.Errorf("%v: status %d, want %d", sig, got, code)
		}
	}
	if got := interruptedStatus(context.Background()); got != 130 {
		t.Errorf("Ctrl-C at a prompt (no signal): status %d, want 130", got)
	}
}
