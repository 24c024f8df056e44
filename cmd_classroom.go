package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/kballard/go-shellquote"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/runner/escape"
)

// cmdClassroom opens both sides of a two-terminal lesson side by side:
// in tmux panes when tmux is installed and we are on a terminal, else it
// prints the two commands to run by hand.
func cmdClassroom(ctx context.Context, c *cli, words []string) int {
	if len(words) != 1 {
		c.usageError(c.cat.T("cli.need-lesson", "classroom"))
		return exitUsage
	}
	if !c.kernelOK("classroom") {
		return exitFail
	}
	l, code := c.findLesson(words[0])
	if l == nil {
		return code
	}
	if l.Role == "" || l.Pair == "" {
		c.fail("cli.no-roles", l.ID)
		return exitUsage
	}
	server, client := l.ID, l.Pair
	if l.Role == lessons.RoleClient {
		server, client = client, server
	}
	// Both panes run on this machine: the first address serves.
	serverArgs := pairArgs(c.o, server, lessons.RoleServer)[0]
	clientArgs := pairArgs(c.o, client, lessons.RoleClient)[0]
	self := selfCommand()
	printed := func(key string, args ...any) {
		fmt.Fprintln(c.stdout, fillTo(c.stdout, c.cat.T(key, args...)))
		fmt.Fprintf(c.stdout, "  %s\n      $ %s\n", c.cat.T("classroom.server"), shellquote.Join(append(self, serverArgs...)...))
		fmt.Fprintf(c.stdout, "  %s\n      $ %s\n", c.cat.T("classroom.client"), shellquote.Join(append(self, clientArgs...)...))
	}
	fmt.Fprintln(c.stdout, fillTo(c.stdout, c.cat.T("classroom.title", l.ID)))

	// tmux needs a terminal; --auto only makes the panes' lessons run
	// without prompts.
	tmux, err := exec.LookPath("tmux")
	if !c.onTerminal() || err != nil {
		key := "classroom.no-terminal"
		if err != nil && c.onTerminal() {
			key = "classroom.no-tmux"
		}
		printed(key)
		return exitOK
	}
	bin, err := paneBinary()
	if err != nil {
		printed("classroom.tmux-failed", err)
		return exitFail
	}
	name := fmt.Sprintf("sockstep-%s-%d", l.ID, c.o.port)
	inside := c.getenv("TMUX") != ""
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		cmd := exec.CommandContext(ctx, tmux, args...)
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.String(), err
	}
	// A session of this name is an earlier classroom for this lesson and
	// port: join it while a lesson runs in it (a second one would find
	// the port taken), or, every pane closed, remove it and start anew.
	switch state, target, window := earlierClassroom(run, name); state {
	case sessionLive:
		verb := "attach-session"
		switch {
		case window:
			// A window of this tmux (made from inside it): show it.
			fmt.Fprintln(c.stdout, fillTo(c.stdout, c.cat.T("classroom.joined-window", l.ID, c.o.port, name)))
			verb = "select-window"
		case inside:
			fmt.Fprintln(c.stdout, fillTo(c.stdout, c.cat.T("classroom.joined", l.ID, c.o.port, name, name)))
			verb = "switch-client"
		default:
			fmt.Fprintln(c.stdout, fillTo(c.stdout, c.cat.T("classroom.joined", l.ID, c.o.port, name, name)))
		}
		code := c.runTmux(ctx, tmux, []string{verb, "-t", target}, printed)
		if code == exitOK && !inside {
			c.sayAfterTmux(run, name)
		}
		return code
	case sessionDead:
		verb := "kill-session"
		if window {
			verb = "kill-window"
		}
		if _, err := run(verb, "-t", target); err == nil {
			fmt.Fprintln(c.stdout, fillTo(c.stdout, c.cat.T("classroom.replaced", l.ID, c.o.port, name)))
		}
	}
	fmt.Fprintln(c.stdout, fillTo(c.stdout, c.cat.T("classroom.tmux")))
	// The panes' shells print the offers: filled here to a pane's width,
	// half the terminal's.
	paneText := func(key string) string {
		msg := c.cat.T(key)
		if w := termWidth(c.stdout)/2 - 1; w >= 20 {
			msg = strings.Join(hang(msg, w), "\n")
		}
		return msg
	}
	code = c.runTmux(ctx, tmux, tmuxArgs(inside, name,
		keptCommand(paneText("classroom.server-over"), c.paneArgv(bin, serverArgs)),
		againCommand(paneText("classroom.again"), c.paneArgv(bin, clientArgs))), printed)
	if code == exitOK && !inside {
		c.sayAfterTmux(run, name)
	}
	return code
}

// sayAfterTmux says, in the learner's language, why tmux returned (its
// own "[detached …]" or "[exited]" is English): the classroom ended, or
// the instructor left it running.
func (c *cli) sayAfterTmux(run func(...string) (string, error), name string) {
	if state, _, _ := earlierClassroom(run, name); state == sessionNone {
		fmt.Fprintln(c.stdout, fillTo(c.stdout, c.cat.T("classroom.ended")))
		return
	}
	fmt.Fprintln(c.stdout, fillTo(c.stdout, c.cat.T("classroom.left", name, name)))
}

// runTmux runs tmux on this terminal. What tmux says when it fails is in
// English: it is put, as tmux's own words, in a sentence in the learner's
// language.
func (c *cli) runTmux(ctx context.Context, tmux string, args []string, printed func(string, ...any)) int {
	var said bytes.Buffer
	cmd := exec.CommandContext(ctx, tmux, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.stdin, c.stdout, &said
	if err := cmd.Run(); err != nil {
		printed("classroom.tmux-failed", tmuxProblem(c.cat, err, said.String()))
		return exitFail
	}
	return exitOK
}

// tmuxProblem says in the learner's language how tmux failed, with its
// own first line quoted.
func tmuxProblem(cat *content.Catalog, err error, said string) string {
	detail := err.Error()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		detail = cat.T("classroom.tmux-exit", ee.ExitCode())
	}
	if line, _, _ := strings.Cut(strings.TrimSpace(said), "\n"); line != "" {
		detail += cat.T("classroom.tmux-said", escape.Bytes([]byte(line)))
	}
	return detail
}

// What is left of an earlier classroom session of the same name.
const (
	sessionNone = iota
	sessionLive // a pane still runs something
	sessionDead // every pane has ended (remain-on-exit kept them)
)

// earlierClassroom looks for an earlier classroom named name on the
// tmux server: a session of that name (started outside tmux), else a
// window (started inside), and whether anything still runs in it. target
// names it for tmux (a session exactly, or the window's id); window says
// which it is.
func earlierClassroom(run func(...string) (string, error), name string) (state int, target string, window bool) {
	out, err := run("list-panes", "-a", "-F", "#{session_name}\t#{window_name}\t#{window_id}\t#{pane_dead}")
	if err != nil {
		return sessionNone, "", false // no server: nothing earlier
	}
	for _, byWindow := range []bool{false, true} {
		state = sessionNone
		for _, line := range strings.Split(out, "\n") {
			f := strings.Split(line, "\t")
			if len(f) != 4 || !byWindow && f[0] != name || byWindow && f[1] != name {
				continue
			}
			target = "=" + name
			if byWindow {
				target = f[2]
			}
			if state == sessionNone {
				state = sessionDead
			}
			if f[3] != "1" {
				state = sessionLive
			}
		}
		if state != sessionNone {
			return state, target, byWindow
		}
	}
	return sessionNone, "", false
}

// pairArgs are the argument lists that play role in lesson against this
// terminal: lessons.PairArgs gives the address (one list per address
// students can reach this machine at, for a client), and every flag that
// shapes the lesson follows as this terminal has it, so that both sides
// meet and look alike.
func pairArgs(o opts, lesson, role string) [][]string {
	host, err := lessons.ParseHost(o.host)
	if err != nil {
		host = netip.MustParseAddr(defaultHost)
	}
	return lessons.PairArgs(lesson, role, host, o.port, shapingArgs(o)...)
}

// shapingArgs are the flags that shape a lesson, but for its address.
func shapingArgs(o opts) []string {
	var args []string
	if o.lang != "" {
		args = append(args, "--lang", o.lang)
	}
	if o.lessons != "" {
		dir := o.lessons
		if abs, err := filepath.Abs(dir); err == nil {
			dir = abs // the pane or terminal may start elsewhere
		}
		args = append(args, "--lessons", dir)
	}
	if o.style != "" {
		args = append(args, "--style", o.style)
	}
	if o.width != 0 {
		args = append(args, "--width", strconv.Itoa(o.width))
	}
	if o.compact {
		args = append(args, "--compact")
	}
	if o.wire != "auto" {
		args = append(args, "--wire", o.wire)
	}
	if o.auto.delay > 0 {
		args = append(args, "--auto", o.auto.delay.String())
	} else if o.auto.on {
		args = append(args, "--auto")
	}
	return args
}

// selfCommand is how a learner starts this sockstep again from a shell,
// for the commands sockstep prints: "sockstep" when PATH finds this very
// program; under `go run`, whose binary is removed when it exits, `go run
// DIR` with the module's folder (or, started from outside it, a copy of
// the binary that stays); else the program's full path.
func selfCommand() []string {
	exe, err := os.Executable()
	if err != nil {
		return []string{"sockstep"}
	}
	if onPath, err := exec.LookPath("sockstep"); err == nil && sameFile(onPath, exe) {
		return []string{"sockstep"}
	}
	if goRunBinary(exe) {
		if dir := moduleDir(); dir != "" {
			return []string{"go", "run", dir}
		}
		if bin, err := paneBinary(); err == nil {
			return []string{bin} // a copy that outlives this go run
		}
	}
	return []string{exe}
}

// paneBinary is the program tmux's panes run. A `go run` binary is copied
// to the user's cache first: go run removes its own when sockstep exits,
// and the panes outlive it (a detached session, the next caller).
func paneBinary() (string, error) {
	exe, err := os.Executable()
	if err != nil || !goRunBinary(exe) {
		return exe, err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	dst := filepath.Join(cache, "sockstep", "sockstep-classroom")
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	src, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer src.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".sockstep-*")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(tmp, src)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o755)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst) // a running copy keeps its inode
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return dst, nil
}

// goRunBinary reports whether exe was built by `go run`, whose binary is
// gone once it exits: before Go 1.24 in a go-build folder under the
// temporary directory (go-build123/b001/exe/NAME), since then in the
// build cache (GOCACHE/ab/ab12…-d/NAME, see `go env GOCACHE`).
func goRunBinary(exe string) bool {
	if rel, err := filepath.Rel(os.TempDir(), exe); err == nil && !strings.HasPrefix(rel, "..") && strings.Contains(rel, "go-build") {
		return true
	}
	return inGoCache(exe)
}

// inGoCache reports whether exe is an executable of Go's build cache: in
// a folder named for its hash and ending in -d, itself in a folder named
// for the hash's first two hex digits, at the cache's root: the cache
// GOCACHE names, the default one, or any folder Go marks as its cache
// (trim.txt at its root, as `go env -w GOCACHE` may put it anywhere).
func inGoCache(exe string) bool {
	dir := filepath.Dir(exe)
	shard := filepath.Dir(dir)
	root := filepath.Dir(shard)
	if !isHex(strings.TrimSuffix(filepath.Base(dir), "-d")) || !strings.HasSuffix(filepath.Base(dir), "-d") ||
		len(filepath.Base(shard)) != 2 || !isHex(filepath.Base(shard)) ||
		!strings.HasPrefix(filepath.Base(dir), filepath.Base(shard)) {
		return false
	}
	for _, c := range goCaches() {
		if sameFile(c, root) {
			return true
		}
	}
	_, err := os.Stat(filepath.Join(root, "trim.txt"))
	return err == nil
}

// goCaches are the folders Go's build cache is in unless `go env -w`
// moved it: GOCACHE, or the user's cache folder's go-build.
func goCaches() []string {
	var out []string
	if c := os.Getenv("GOCACHE"); c != "" && c != "off" {
		out = append(out, c)
	}
	if c, err := os.UserCacheDir(); err == nil {
		out = append(out, filepath.Join(c, "go-build"))
	}
	return out
}

func isHex(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return s != ""
}

// moduleDir is the folder of sockstep's module that holds the working
// directory, or "".
func moduleDir() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	dir, err := os.Getwd()
	for err == nil {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
			first, _, _ := strings.Cut(string(data), "\n")
			if strings.TrimSpace(first) == "module "+info.Main.Path {
				return dir
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	return ""
}

func sameFile(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// paneCommand is argv as one shell command line for tmux, every word
// quoted: a lesson id or a flag's value is never read as shell syntax.
func paneCommand(argv []string) string { return shellquote.Join(argv...) }

// The panes' shell loops. Each ignores Ctrl-C itself (a trap that does
// nothing, which the lesson does not inherit: exec resets it), so that
// Ctrl-C stops the lesson, not the pane: the pane then says what comes
// next. Their words arrive as positional parameters, never as script.
const (
	// againLoop runs its arguments, then offers to run them again: the
	// client pane, so that the server's next caller is one Enter away.
	// End of input (Ctrl-D) or Ctrl-C at the offer closes the pane.
	againLoop = `trap : INT; m=$1; shift; while :; do "$@"; printf '\n%s ' "$m"; read -r _ || exit 0; done`
	// keptLoop runs its arguments once and keeps the pane, its last
	// screen readable, until Enter (or Ctrl-D, Ctrl-C) closes it.
	keptLoop = `trap : INT; m=$1; shift; "$@"; printf '\n%s ' "$m"; read -r _; exit 0`
)

// paneEnv are the variables sockstep reads that a pane must see as this
// command saw them. A pane is started by the tmux server, with the
// server's environment, not this command's: inside a running tmux,
// SOCKSTEP_PROGRESS or NO_COLOR given to `sockstep classroom` would not
// reach the panes' lessons.
var paneEnv = []string{"SOCKSTEP_PROGRESS", "NO_COLOR"}

// paneArgv is the argv a pane runs: bin and args, behind env(1) with the
// paneEnv variables that are set.
func (c *cli) paneArgv(bin string, args []string) []string {
	var set []string
	for _, k := range paneEnv {
		if v := c.getenv(k); v != "" {
			set = append(set, k+"="+v)
		}
	}
	argv := append([]string{bin}, args...)
	if len(set) > 0 {
		argv = append(append([]string{"env"}, set...), argv...)
	}
	return argv
}

// againCommand is argv run by againLoop, with message as its offer.
func againCommand(message string, argv []string) string {
	return paneCommand(append([]string{"sh", "-c", againLoop, "sockstep", message}, argv...))
}

// keptCommand is argv run by keptLoop, with message when it ends.
func keptCommand(message string, argv []string) string {
	return paneCommand(append([]string{"sh", "-c", keptLoop, "sockstep", message}, argv...))
}

// tmuxArgs opens the server pane on the left and the client pane on the
// right, in a new session (or, inside tmux already, a new window). Each
// pane's shell loop keeps it open, its last screen readable, until the
// learner closes it; once both are closed the window, and a session of
// its own, end (and with them `sockstep classroom`, its tmux client).
//
// The window opens on a placeholder, and the server's lesson replaces it
// (respawn-pane) once the split has made its pane half as wide: started
// in the whole window, its first screens were laid out for twice the
// pane's width, and the terminal broke their words.
func tmuxArgs(insideTmux bool, name, serverCmd, clientCmd string) []string {
	const placeholder = "sleep 60"
	var args []string
	if insideTmux {
		args = []string{"new-window", "-n", name, placeholder}
	} else {
		args = []string{"new-session", "-s", name, placeholder}
	}
	return append(args,
		";", "set-option", "-w", "remain-on-exit", "off",
		";", "split-window", "-h", clientCmd,
		";", "select-layout", "even-horizontal",
		";", "respawn-pane", "-k", "-t", "{left}", serverCmd,
		";", "select-pane", "-t", "{left}")
}
