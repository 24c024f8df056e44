//go:build linux

package main

import (
	"context"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	expect "github.com/Netflix/go-expect"
	"github.com/charmbracelet/x/ansi"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
	"golang.org/x/sys/unix"
)

// TestReadmeLessonExampleByHand runs the README's example lesson on a
// terminal, choosing "I do it myself" for its server, and plays that
// server with the first command sockstep prints (python3), as a reader
// would, in both languages. What the text promises must happen, and be
// labelled as it is: the connection the learner's server accepts is
// theirs (in the preview and in the states), the step that hangs up asks
// the learner once, and the side that hangs up first, the lesson's
// caller, keeps the connection in TIME_WAIT.
func TestReadmeLessonExampleByHand(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed: the command sockstep prints first cannot be run")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "my-first-call.en.md")
	os.WriteFile(file, []byte(sockettest.ReadmeExample(t, "README.md")), 0o644)
	for _, lang := range []content.Lang{content.English, content.Chinese} {
		t.Run(string(lang), func(t *testing.T) {
			cat := content.Text(lang)
			var screen syncBuffer // everything drawn, previews included
			record := filepath.Join(t.TempDir(), "class.md")
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			run := startOnPty(t, ctx, 80, 24, []io.Writer{&screen}, "run", file, "--lang", string(lang), "--record", record, "--port", strconv.Itoa(sockettest.FreePort(t)))
			con, cmd := run.con, run.cmd
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()

			hint := map[content.Lang]string{content.English: "Enter to choose", content.Chinese: "回车选择"}[lang]
			choose := func(keys string) string {
				t.Helper()
				out, err := con.ExpectString(hint)
				if err != nil {
					t.Fatalf("no prompt: %v\n%s", err, out)
				}
				waitRaw(t, con.Tty())
				con.Send(keys)
				return out
			}
			choose("\r")       // step 1: run it
			choose("\x1b[B\r") // who plays the server: I do it myself
			out, err := con.Expect(expect.RegexpPattern(`\('127\.0\.0\.1', \d+\)`))
			port := regexp.MustCompile(`\('127\.0\.0\.1', (\d+)\)`).FindStringSubmatch(out)
			if err != nil || port == nil {
				t.Fatalf("no python3 command with a port was printed: %v\n%s", err, out)
			}
			n, _ := strconv.Atoi(port[1])
			server := exec.CommandContext(ctx, "sh", "-c", lessons.ExternalCommands("tcp-server", netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(n)), "")[0])
			if err := server.Start(); err != nil {
				t.Fatal(err)
			}
			for i := 0; ; i++ { // every later prompt: its first answer
				select {
				case err := <-done:
					if err != nil {
						t.Fatalf("sockstep: %v", err)
					}
					i = -1
				default:
				}
				if i < 0 {
					break
				}
				if _, err := con.Expect(expect.String(hint), expect.WithTimeout(time.Second)); err == nil {
					waitRaw(t, con.Tty())
					con.Send("\r")
				}
				if i > 60 {
					t.Fatal("the lesson never ended")
				}
			}
			if err := server.Wait(); err != nil {
				t.Errorf("the learner's server: %v", err)
			}
			data, err := os.ReadFile(record)
			if err != nil {
				t.Fatal(err)
			}
			// Lines are wrapped to the width: compare without spaces.
			squeeze := func(s string) string { return strings.Join(strings.Fields(ansi.Strip(s)), "") }
			got, drawn := squeeze(string(data)), squeeze(screen.String())
			if want := squeeze("data = recv(conn, 1024, 0)  # " + cat.T("who.external")); !strings.Contains(drawn, want) {
				t.Errorf("step 3's preview does not give the learner's conn to the learner (%s):\n%s", want, ansi.Strip(screen.String()))
			}
			for _, want := range []string{cat.T("call.data", 2, `"ok"`), "[TIME_WAIT]"} {
				if !strings.Contains(got, squeeze(want)) {
					t.Errorf("the transcript lacks %q:\n%s", want, data)
				}
			}
			if want := squeeze("conn (" + cat.T("who.peer") + ")"); strings.Contains(got, want) || strings.Contains(drawn, want) {
				t.Errorf("the learner's conn is labelled as sockstep's:\n%s", data)
			}
			step4 := got[strings.LastIndex(got, squeeze(cat.T("step.heading", 4, 4, "Hang up"))):]
			if n := strings.Count(step4, squeeze(cat.T("peer.your-turn.close.server"))); n != 1 {
				t.Errorf("step 4 asks the learner to hang up %d times:\n%s", n, data)
			}
		})
	}
}

// waitRaw waits until the prompt has put the terminal in raw mode, so
// that the keys sent next reach it, not a cooked line.
func waitRaw(t *testing.T, tty *os.File) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		if tio.Lflag&unix.ICANON == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the terminal never went raw")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
