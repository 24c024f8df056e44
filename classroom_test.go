//go:build !windows

package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons/sockettest"
)

// proc is the binary running in the background, as in a second terminal.
type proc struct {
	cmd  *exec.Cmd
	out  syncBuffer
	done chan error
}

func startSockstep(t *testing.T, args ...string) *proc {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	p := &proc{cmd: exec.CommandContext(ctx, binary, args...), done: make(chan error, 1)}
	p.cmd.Env = append(os.Environ(), "SOCKSTEP_PROGRESS="+filepath.Join(t.TempDir(), "p.json"), "LANG=C")
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p.cmd.Cancel = func() error { return syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL) }
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	return p
}

// wait returns the exit status.
func (p *proc) wait(t *testing.T) int {
	t.Helper()
	err := <-p.done
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0
}

// TestRoles runs the two sides of a lesson pair as two processes against
// each other over loopback (--role), in both orders of starting. The
// client started first must wait for the server (TCP: its first connect
// is refused; UDP: it waits for the receiver's bind, or the datagram would
// be lost), and both must finish the lesson.
func TestRoles(t *testing.T) {
	cases := []struct {
		name           string
		server, client string
		clients        int // client runs the server lesson serves
		clientFirst    bool
		clientWaits    string // what the client says while it waits
		serverSees     string // proof the server got the client's data
		serverShows    []string
	}{
		{"tcp server first", "tcp-server", "tcp-client", 2, false, "", `recv\(\d+, 1024, 0\) = 13`, tcpServerShows},
		{"tcp client first", "tcp-server", "tcp-client", 2, true, "is not listening yet", `recv\(\d+, 1024, 0\) = 13`, tcpServerShows},
		{"udp receiver first", "udp-recv", "udp-send", 1, false, "", `recvfrom\(\d+, 1024, 0\) = 5, 127\.0\.0\.1:\d+`, nil},
		{"udp sender first", "udp-recv", "udp-send", 1, true, "Nobody has bound", `recvfrom\(\d+, 1024, 0\) = 5, 127\.0\.0\.1:\d+`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			port := strconv.Itoa(sockettest.FreePort(t))
			serverArgs := []string{"run", c.server, "--role", "server", "--auto", "--port", port, "--lang", "en"}
			clientArgs := []string{"run", c.client, "--role", "client", "--auto", "--port", port, "--lang", "en"}
			var srv, cli *proc
			if c.clientFirst {
				cli = startSockstep(t, clientArgs...)
				waitFor(t, &cli.out, c.clientWaits)
				srv = startSockstep(t, serverArgs...)
			} else {
				srv = startSockstep(t, serverArgs...)
				waitFor(t, &srv.out, "sockstep run "+c.client+" --role client")
				cli = startSockstep(t, clientArgs...)
			}
			if code := cli.wait(t); code != 0 {
				t.Fatalf("client exit %d:\n%s", code, tail(cli.out.String()))
			}
			for i := 1; i < c.clients; i++ { // the next caller
				if code := startSockstep(t, clientArgs...).wait(t); code != 0 {
					t.Fatalf("client %d exit %d", i+1, code)
				}
			}
			if code := srv.wait(t); code != 0 {
				t.Fatalf("server exit %d:\n%s", code, tail(srv.out.String()))
			}
			if !regexp.MustCompile(c.serverSees).MatchString(srv.out.String()) {
				t.Errorf("the server did not receive the client's data:\n%s", tail(srv.out.String()))
			}
			if c.clientFirst && !strings.Contains(cli.out.String(), c.clientWaits) {
				t.Errorf("the client did not say why it waits:\n%s", tail(cli.out.String()))
			}
			// The two scripts line up: nothing is skipped, each side shows
			// the other's effects, and neither calls the other sockstep.
			for _, p := range []*proc{srv, cli} {
				out := p.out.String()
				if strings.Contains(out, "Skipped") || strings.Contains(out, "(sockstep)") || strings.Contains(out, "played by you") {
					t.Errorf("a side skipped a call or names sockstep as the other party:\n%s", tail(out))
				}
			}
			for _, want := range c.serverShows {
				if !regexp.MustCompile(want).MatchString(srv.out.String()) {
					t.Errorf("the server never showed %q:\n%s", want, tail(srv.out.String()))
				}
			}
		})
	}
}

// tcpServerShows is what the server side must show of the callers in
// the other terminal, whatever the pace of the two: the caller queued by
// the kernel, its bytes waiting, and the handshake on its timeline.
var tcpServerShows = []string{
	`accept queue: 1 waiting`,
	`waiting to be read: 13 B`,
	// drawn from the calls, or captured on loopback (--wire)
	`(?s)─+ SYN [^\n]*▶.{0,200}◀─+ SYN-ACK .{0,200}─+ ACK [^\n]*▶`,
	`CLOSE_WAIT`,
}

// waitFor waits until the process has printed want.
func waitFor(t *testing.T, out *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("never printed %q:\n%s", want, tail(out.String()))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRoleErrors: --role is checked against the lesson before anything runs.
func TestRoleErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "tcp-server", "--role", "boss"}, "--role is server or client"},
		{[]string{"run", "intro", "--role", "server"}, "no two-terminal mode"},
		{[]string{"run", "tcp-client", "--role", "server"}, "sockstep run tcp-server --role server"},
	} {
		r := sockstep(t, nil, c.args...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// TestClassroomWithoutTerminal: no terminal means no tmux; the two
// commands are printed, each a complete command line with the flags that
// must match in both terminals.
func TestClassroomWithoutTerminal(t *testing.T) {
	// With sockstep on PATH, the commands say "sockstep"; every flag that
	// shapes the lesson is passed on, --lessons as an absolute path.
	path := "PATH=" + filepath.Dir(binary) + string(os.PathListSeparator) + os.Getenv("PATH")
	r := sockstep(t, []string{path}, "classroom", "udp-send", "--port", "9000", "--lang", "zh",
		"--style", "light", "--width", "70", "--compact", "--auto", "3s", "--lessons", "content/lessons", "--host", "localhost")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	abs, _ := filepath.Abs("content/lessons")
	shaping := " --port 9000 --lang zh --lessons " + abs + " --style light --width 70 --compact --auto 3s"
	for _, want := range []string{
		"$ sockstep run udp-recv --role server" + shaping,
		"$ sockstep run udp-send --role client" + shaping,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	// Not on PATH: the program's own path, which works from any folder.
	r = sockstep(t, nil, "classroom", "tcp-client")
	if want := "$ " + binary + " run tcp-server --role server\n"; r.code != 0 || !strings.Contains(r.stdout, want) {
		t.Errorf("exit %d, output lacks %q:\n%s", r.code, want, r.stdout)
	}
	if r := sockstep(t, nil, "classroom", "intro"); r.code != 2 || !strings.Contains(r.stderr, "no two-terminal mode") {
		t.Errorf("classroom intro: exit %d, %s", r.code, r.stderr)
	}
}

// TestPaneCommandQuotes runs the pane command lines through sh: a lesson
// id, a flag's value or a message holding shell syntax arrives as one
// word and nothing in it is run (issue: a lesson id "srv;touch /tmp/x").
func TestPaneCommandQuotes(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "ran")
	argv := []string{"printf", "[%s]", "srv;touch " + marker + ";true", "cli$(touch " + marker + ")", "`touch " + marker + "`", "it's"}
	want := "[srv;touch " + marker + ";true][cli$(touch " + marker + ")][`touch " + marker + "`][it's]"
	out, err := exec.Command("sh", "-c", paneCommand(argv)).CombinedOutput()
	if err != nil || string(out) != want {
		t.Errorf("pane command: %v, output %q, want %q", err, out, want)
	}
	// The client pane: runs, then offers to run again; end of input
	// closes it.
	msg := "again? $(touch " + marker + ")"
	cmd := exec.Command("sh", "-c", againCommand(msg, argv))
	cmd.Stdin = strings.NewReader("\n")
	out, err = cmd.CombinedOutput()
	if err != nil || string(out) != want+"\n"+msg+" "+want+"\n"+msg+" " {
		t.Errorf("again loop: %v, output %q", err, out)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("a word of the command line was run as shell syntax")
	}
}

// TestClassroomTmux opens the real thing on a pseudo-terminal: a tmux
// session (on a private tmux server) with the server lesson in the left
// pane and the client lesson in the right one.
func TestClassroomTmux(t *testing.T) {
	port := strconv.Itoa(sockettest.FreePort(t))
	tc := startClassroom(t, "classroom", "tcp-server", "--port", port, "--lang", "en")
	panes := tc.panes(t)
	for i, want := range []string{"run tcp-server --role server --port " + port, "run tcp-client --role client --port " + port} {
		if !strings.Contains(panes[i], want) || !strings.Contains(panes[i], binary) {
			t.Errorf("pane %d runs %q, want %s %s…", i, panes[i], binary, want)
		}
	}
	// Both lessons are running, each waiting at its own prompt.
	tc.waitScreen(t, 0, "What next?")
	tc.waitScreen(t, 1, "What next?")
}

// TestClassroomNextCaller: when the client's lesson ends, its pane offers
// to call again rather than showing a dead pane; Enter there makes the
// server's second call, and the server's lesson ends. The flags that
// shape the lesson reach both panes.
func TestClassroomNextCaller(t *testing.T) {
	port := strconv.Itoa(sockettest.FreePort(t))
	tc := startClassroom(t, "classroom", "tcp-client", "--port", port, "--lang", "en", "--auto", "--width", "70")
	for i, pane := range tc.panes(t) {
		if !strings.Contains(pane, "--port "+port+" --lang en --width 70 --auto") {
			t.Errorf("pane %d runs %q, without the lesson's flags", i, pane)
		}
	}
	tc.waitScreen(t, 1, "call the server again")
	if _, err := tc.tmux("send-keys", "-t", tc.session+".1", "Enter"); err != nil {
		t.Fatal(err)
	}
	tc.waitScreen(t, 0, "Lesson finished")
}

// classroomTmux is a classroom session on a private tmux server.
type classroomTmux struct {
	session string
	tmux    func(args ...string) (string, error)
	out     *syncBuffer // what sockstep classroom printed on its terminal
	done    chan error  // its exit
	env     []string
}

// startClassroom runs sockstep with args on a pseudo-terminal, with a
// private tmux server that is killed when the test ends.
func startClassroom(t *testing.T, args ...string) *classroomTmux {
	t.Helper()
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed: the printed-commands path is tested instead")
	}
	dir, err := os.MkdirTemp("", "tmx") // short: tmux socket paths are limited
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	env := []string{"TMUX_TMPDIR=" + dir, "TMUX=", "TERM=xterm-256color"}
	tc := &classroomTmux{tmux: func(args ...string) (string, error) {
		c := exec.Command(tmux, args...)
		c.Env = append(os.Environ(), env...)
		out, err := c.CombinedOutput()
		return string(out), err
	}}
	t.Cleanup(func() { tc.tmux("kill-server") })
	tc.env = env
	tc.start(t, args...)
	return tc
}

// start runs sockstep with args on a new pseudo-terminal, with the
// session's private tmux server.
func (tc *classroomTmux) start(t *testing.T, args ...string) {
	t.Helper()
	env := tc.env
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { ptm.Close() })
	pty.Setsize(ptm, &pty.Winsize{Rows: 40, Cols: 160})
	cmd := exec.Command(binary, args...)
	cmd.Env = append(append(os.Environ(), "SOCKSTEP_PROGRESS="+filepath.Join(t.TempDir(), "p.json")), env...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	tc.out, tc.done = &syncBuffer{}, make(chan error, 1)
	out := tc.out
	go func() { // keep the terminal's output flowing
		buf := make([]byte, 4096)
		for {
			n, err := ptm.Read(buf)
			out.Write(buf[:n])
			if err != nil {
				return
			}
		}
	}()
	done := tc.done
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { syscall.Kill(cmd.Process.Pid, syscall.SIGKILL) })
	lesson, port := args[1], "7788"
	for i, a := range args {
		if a == "--port" && i+1 < len(args) {
			port = args[i+1]
		}
	}
	tc.session = "sockstep-" + lesson + "-" + port
}

// panes waits for the session's two panes and returns their commands.
func (tc *classroomTmux) panes(t *testing.T) []string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		panes, err := tc.tmux("list-panes", "-t", tc.session, "-F", "#{pane_index} #{pane_start_command}")
		if err == nil && strings.Count(strings.TrimSpace(panes), "\n") == 1 {
			return strings.Split(strings.TrimSpace(panes), "\n")
		}
		if time.Now().After(deadline) {
			t.Fatalf("the tmux session never had two panes: %v\n%s", err, panes)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitScreen waits until pane i shows want.
func (tc *classroomTmux) waitScreen(t *testing.T, i int, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		screen, _ := tc.tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", tc.session+"."+strconv.Itoa(i))
		if strings.Contains(screen, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("pane %d never showed %q:\n%s", i, want, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The tmux command line: a new session (or, inside tmux, a new window)
// with the server on the left and the client on the right, panes kept
// after their lesson ends.
func TestTmuxArgs(t *testing.T) {
	for _, c := range []struct {
		inside bool
		want   string
	}{
		{false, "new-session -s demo sleep 60 ; set-option -w remain-on-exit off ; split-window -h CLI ; select-layout even-horizontal ; respawn-pane -k -t {left} SRV ; select-pane -t {left}"},
		{true, "new-window -n demo sleep 60 ; set-option -w remain-on-exit off ; split-window -h CLI ; select-layout even-horizontal ; respawn-pane -k -t {left} SRV ; select-pane -t {left}"},
	} {
		if got := strings.Join(tmuxArgs(c.inside, "demo", "SRV", "CLI"), " "); got != c.want {
			t.Errorf("inside tmux %v:\n got %s\nwant %s", c.inside, got, c.want)
		}
	}
	if got := paneCommand([]string{"/tmp/my dir/sockstep", "run", "tcp-server", "--role", "server"}); got != "'/tmp/my dir/sockstep' run tcp-server --role server" {
		t.Errorf("paneCommand = %q", got)
	}
}

// TestSelfCommandUnderGoRun: a test binary, like a go run binary, lives in
// a go-build folder that is removed when it ends: the commands printed
// name the module's folder instead, and the panes get a copy that stays.
func TestSelfCommandUnderGoRun(t *testing.T) {
	exe, err := os.Executable()
	if err != nil || !goRunBinary(exe) {
		t.Skipf("the test binary %s is not in a go-build folder", exe)
	}
	wd, _ := os.Getwd()
	if got := selfCommand(); strings.Join(got, " ") != "go run "+wd {
		t.Errorf("selfCommand() = %q, want go run %s", got, wd)
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	bin, err := paneBinary()
	if err != nil {
		t.Fatal(err)
	}
	if goRunBinary(bin) || !sameContent(t, bin, exe) {
		t.Errorf("paneBinary() = %s, not a lasting copy of %s", bin, exe)
	}
	if goRunBinary("/usr/local/bin/sockstep") {
		t.Error("an installed binary was taken for a go run one")
	}
}

func sameContent(t *testing.T, a, b string) bool {
	t.Helper()
	da, err1 := os.ReadFile(a)
	db, err2 := os.ReadFile(b)
	return err1 == nil && err2 == nil && string(da) == string(db)
}

// TestGoRunBinaryLayouts: go run's binary is found where each Go puts
// it: before 1.24 under the temporary directory (go-buildN/b001/exe),
// since then in the build cache (GOCACHE/ab/ab12…-d/NAME); an installed
// binary, or one in a folder that merely looks like a cache entry, is
// not one.
func TestGoRunBinaryLayouts(t *testing.T) {
	hash := "ed7064" + strings.Repeat("0", 58)
	cache := t.TempDir() // GOCACHE
	t.Setenv("GOCACHE", cache)
	marked := t.TempDir() // moved by `go env -w GOCACHE`: only trim.txt says so
	os.WriteFile(filepath.Join(marked, "trim.txt"), []byte("1"), 0o644)
	plain := t.TempDir() // a folder that is no cache
	for _, c := range []struct {
		exe  string
		want bool
	}{
		{filepath.Join(os.TempDir(), "go-build1234", "b001", "exe", "sockstep"), true},
		{filepath.Join(cache, "ed", hash+"-d", "sockstep"), true},
		{filepath.Join(marked, "ed", hash+"-d", "sockstep"), true},
		{filepath.Join(plain, "ed", hash+"-d", "sockstep"), false},
		{filepath.Join(cache, "ab", hash+"-d", "sockstep"), false}, // not its shard
		{filepath.Join(cache, "ed", hash, "sockstep"), false},      // not an executable's entry
		{"/usr/local/bin/sockstep", false},
	} {
		os.MkdirAll(filepath.Dir(c.exe), 0o755)
		if got := goRunBinary(c.exe); got != c.want {
			t.Errorf("goRunBinary(%s) = %v, want %v", c.exe, got, c.want)
		}
	}
}

// TestRoleAutoWaitsOnTerminal: with --auto on a terminal, a two-terminal
// server waits for its callers as long as they take, as without --auto
// (Ctrl-C is at hand): a second caller that comes after the 10 seconds
// that bound a run without a terminal is still served, and the lesson
// ends well (it stopped at "The next caller" before).
func TestRoleAutoWaitsOnTerminal(t *testing.T) {
	port := strconv.Itoa(sockettest.FreePort(t))
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	defer ptm.Close()
	pty.Setsize(ptm, &pty.Winsize{Rows: 24, Cols: 80})
	srv := exec.Command(binary, "run", "tcp-server", "--role", "server", "--auto", "--port", port, "--lang", "en")
	srv.Env = append(os.Environ(), "SOCKSTEP_PROGRESS="+filepath.Join(t.TempDir(), "p.json"), "LANG=C", "TERM=dumb")
	srv.Stdin, srv.Stdout, srv.Stderr = tty, tty, tty
	srv.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	var out syncBuffer
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		buf := make([]byte, 4096)
		for {
			n, err := ptm.Read(buf)
			out.Write(buf[:n])
			if err != nil {
				return
			}
		}
	}()
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	t.Cleanup(func() { syscall.Kill(srv.Process.Pid, syscall.SIGKILL) })

	clientArgs := []string{"run", "tcp-client", "--role", "client", "--auto", "--port", port, "--lang", "en"}
	if code := startSockstep(t, clientArgs...).wait(t); code != 0 {
		t.Fatalf("first caller: exit %d", code)
	}
	waitFor(t, &out, "The next caller")
	// Longer than a run without a terminal may wait: that is the point.
	time.Sleep(11 * time.Second)
	if code := startSockstep(t, clientArgs...).wait(t); code != 0 {
		t.Fatalf("second caller: exit %d\nserver:\n%s", code, tail(out.String()))
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("server: %v\n%s", err, tail(out.String()))
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the server never finished:\n%s", tail(out.String()))
	}
	<-copied
	if s := out.String(); !strings.Contains(s, "Lesson finished") || strings.Contains(s, "in time") {
		t.Errorf("the server did not finish its lesson:\n%s", tail(s))
	}
}

// TestClassroomStartAgain: a classroom can be started again. While its
// lessons run, a second start joins the open session (a second server
// would find the port taken); once every pane has ended (an earlier
// version's dead panes), the old session is closed and a new one opens.
// Each says so in the learner's language, and no tmux message (its
// "duplicate session") reaches the learner. When both panes are closed,
// the session ends, and sockstep classroom with it.
func TestClassroomStartAgain(t *testing.T) {
	port := strconv.Itoa(sockettest.FreePort(t))
	args := []string{"classroom", "tcp-server", "--port", port, "--lang", "zh"}
	tc := startClassroom(t, args...)
	tc.panes(t)
	tc.waitScreen(t, 0, "接下来做什么")
	first := tc.out
	firstDone := tc.done

	tc.start(t, args...) // joins
	waitFor(t, tc.out, "已经打开（tmux 会话 "+tc.session+"）：现在加入它")
	if n, _ := tc.tmux("list-sessions", "-F", "#{session_name}"); strings.TrimSpace(n) != tc.session {
		t.Errorf("sessions after a second start: %q, want only %s", n, tc.session)
	}

	// Ctrl-C in both panes stops the lessons, not the panes: each says
	// what comes next. Closing both ends the session and both clients.
	for _, pane := range []string{".0", ".1"} {
		tc.tmux("send-keys", "-t", tc.session+pane, "C-c")
	}
	tc.waitScreen(t, 0, "按回车键关闭这个窗格")
	tc.waitScreen(t, 1, "按回车键再给服务器打一次电话")
	tc.tmux("send-keys", "-t", tc.session+".1", "C-d") // the right one first: then the left stays .0
	tc.tmux("send-keys", "-t", tc.session+".0", "Enter")
	for i, done := range []chan error{firstDone, tc.done} {
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("sockstep classroom %d still runs after its panes were closed", i+1)
		}
	}
	if _, err := tc.tmux("has-session", "-t", "="+tc.session); err == nil {
		t.Error("the session outlived its panes")
	}
	waitFor(t, first, "课堂已经结束")

	// An earlier session whose panes are all dead (remain-on-exit) is
	// replaced.
	if out, err := tc.tmux("new-session", "-d", "-s", tc.session, "sleep 0.2", ";", "set-option", "-w", "remain-on-exit", "on", ";", "split-window", "-h", "sleep 0.2"); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for {
		out, _ := tc.tmux("list-panes", "-s", "-t", "="+tc.session, "-F", "#{pane_dead}")
		if strings.Fields(out)[0] == "1" && strings.Fields(out)[1] == "1" {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	tc.start(t, args...)
	waitFor(t, tc.out, "上一个课堂已经结束")
	tc.panes(t)
	tc.waitScreen(t, 0, "接下来做什么")
	for _, o := range []*syncBuffer{first, tc.out} {
		if s := o.String(); strings.Contains(s, "duplicate session") || strings.Contains(s, "无法启动") {
			t.Errorf("tmux failed or spoke English:\n%s", s)
		}
	}
}

// tmux's failures are said in the learner's language, its own words
// quoted and escaped.
func TestTmuxProblem(t *testing.T) {
	err := exec.Command("sh", "-c", "exit 1").Run()
	got := tmuxProblem(content.Text(content.Chinese), err, "duplicate session: x\x1b[2J\nmore\n")
	if want := "退出状态 1；tmux 的原话：duplicate session: x\\x1b[2J"; got != want {
		t.Errorf("tmuxProblem = %q, want %q", got, want)
	}
}

// An earlier classroom is found by its session's name (started outside
// tmux) or its window's (inside), live while any pane runs.
func TestEarlierClassroom(t *testing.T) {
	panes := "sockstep-x-1\tsh\t@1\t1\nsockstep-x-1\tsh\t@1\t0\nwork\tsockstep-y-2\t@7\t1\nwork\tsockstep-y-2\t@7\t1\nwork\tbash\t@8\t0\n"
	run := func(args ...string) (string, error) { return panes, nil }
	for _, c := range []struct {
		name   string
		state  int
		target string
		window bool
	}{
		{"sockstep-x-1", sessionLive, "=sockstep-x-1", false},
		{"sockstep-y-2", sessionDead, "@7", true},
		{"sockstep-z-3", sessionNone, "", false},
	} {
		state, target, window := earlierClassroom(run, c.name)
		if state != c.state || target != c.target || window != c.window {
			t.Errorf("%s: %d %q %v, want %d %q %v", c.name, state, target, window, c.state, c.target, c.window)
		}
	}
	none := func(args ...string) (string, error) { return "no server running", errors.New("exit status 1") }
	if state, _, _ := earlierClassroom(none, "sockstep-x-1"); state != sessionNone {
		t.Errorf("no tmux server: %d", state)
	}
}

// The variables sockstep reads reach the panes' lessons, which the tmux
// server starts with its own environment: they are set with env(1).
func TestPaneArgv(t *testing.T) {
	vars := map[string]string{"SOCKSTEP_PROGRESS": "/tmp/class p.json", "NO_COLOR": "1"}
	c := &cli{env: env{getenv: func(k string) string { return vars[k] }}}
	got := c.paneArgv("/bin/sockstep", []string{"run", "tcp-server"})
	want := []string{"env", "SOCKSTEP_PROGRESS=/tmp/class p.json", "NO_COLOR=1", "/bin/sockstep", "run", "tcp-server"}
	if !slices.Equal(got, want) {
		t.Errorf("paneArgv = %q, want %q", got, want)
	}
	c = &cli{env: env{getenv: func(string) string { return "" }}}
	if got := c.paneArgv("/bin/sockstep", []string{"run"}); !slices.Equal(got, []string{"/bin/sockstep", "run"}) {
		t.Errorf("paneArgv with nothing set = %q", got)
	}
}
