package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/kballard/go-shellquote"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
)

// cmdClassroom opens both sides of a two-terminal lesson side by side:
// in tmux panes when tmux is installed and we are on a terminal, else it
// prints the two commands to run by hand.
func cmdClassroom(ctx context.Context, f flags, words []string, lang content.Lang, e env) int {
	cat := content.Text(lang)
	if len(words) != 1 {
		fmt.Fprintln(e.stderr, cat.T("cli.need-lesson", "classroom"))
		return exitUsage
	}
	l, code := findLesson(lang, f.lessons, words[0], e, cat)
	if l == nil {
		return code
	}
	if l.Role == "" || l.Pair == "" {
		fmt.Fprintln(e.stderr, cat.T("cli.no-roles", l.ID))
		return exitUsage
	}
	server, client := l.ID, l.Pair
	if l.Role == lessons.RoleClient {
		server, client = client, server
	}
	self := "sockstep"
	serverCmd := pairCommand(f, server, lessons.RoleServer)
	clientCmd := pairCommand(f, client, lessons.RoleClient)
	fmt.Fprintln(e.stdout, cat.T("classroom.title", l.ID))

	tmux, err := exec.LookPath("tmux")
	if !interactive(f, e) || err != nil {
		key := "classroom.no-terminal"
		if err != nil && interactive(f, e) {
			key = "classroom.no-tmux"
		}
		printPair(e, cat, key, serverCmd, clientCmd)
		return exitOK
	}
	if exe, err := os.Executable(); err == nil {
		self = exe
	}
	fmt.Fprintln(e.stdout, cat.T("classroom.tmux"))
	cmd := exec.CommandContext(ctx, tmux, tmuxArgs(e.getenv("TMUX") != "", fmt.Sprintf("sockstep-%s-%d", l.ID, f.port),
		paneCommand(self, serverCmd), paneCommand(self, clientCmd))...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = e.stdin, e.stdout, e.stderr
	if err := cmd.Run(); err != nil {
		printPair(e, cat, "classroom.tmux-failed", serverCmd, clientCmd, err)
		return exitFail
	}
	return exitOK
}

func printPair(e env, cat *content.Catalog, key, serverCmd, clientCmd string, args ...any) {
	fmt.Fprintln(e.stdout, cat.T(key, args...))
	fmt.Fprintf(e.stdout, "  %s\n      $ %s\n", cat.T("classroom.server"), serverCmd)
	fmt.Fprintf(e.stdout, "  %s\n      $ %s\n", cat.T("classroom.client"), clientCmd)
}

// paneCommand turns "sockstep run ..." into a shell command for a pane,
// with this very executable (go run's binary has no name on PATH).
func paneCommand(self, cmd string) string {
	return shellquote.Join(self) + strings.TrimPrefix(cmd, "sockstep")
}

// tmuxArgs opens the server pane on the left and the client pane on the
// right, in a new session (or, inside tmux already, a new window). Panes
// stay open when their lesson ends, so the last screen can be read.
func tmuxArgs(insideTmux bool, name, serverCmd, clientCmd string) []string {
	var args []string
	if insideTmux {
		args = []string{"new-window", "-n", name, serverCmd}
	} else {
		args = []string{"new-session", "-s", name, serverCmd}
	}
	return append(args,
		";", "set-option", "-w", "remain-on-exit", "on",
		";", "split-window", "-h", clientCmd,
		";", "select-layout", "even-horizontal",
		";", "select-pane", "-L")
}
