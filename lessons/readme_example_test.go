package lessons_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
)

// readmeLesson is the example lesson of the README's "Writing a lesson"
// section, as printed there.
func readmeLesson(t *testing.T) *content.Lesson {
	t.Helper()
	l, err := content.Parse("README.md", []byte(sockettest.ReadmeExample(t, "../README.md")))
	if err != nil {
		t.Fatal(err)
	}
	if errs := lessons.Check(l); len(errs) > 0 {
		t.Fatal(errs)
	}
	return l
}

// The README's example runs on every path, and every path does what its
// text says: sockstep plays the server, or the learner does from another
// terminal ("I do it myself") with the python3 command printed, whose
// port=0 becomes a real port, free when the commands are printed. On
// both, the server answers the caller's hi, and the caller, who hangs up
// first, is left in TIME_WAIT (tcp(7); a server that closed with bytes
// unread would send RST and leave no connection at all). Played by the
// learner, the server's calls are previewed and noted as theirs, once
// each, and no state of theirs is drawn as sockstep's.
func TestReadmeExampleEveryPath(t *testing.T) {
	l := readmeLesson(t)
	for _, who := range []string{lessons.ChoiceSockstep, lessons.ChoiceMe} {
		t.Run(who, func(t *testing.T) {
			s, ui := newSession(t, lessons.Config{})
			ui.who = who
			var learner func() error
			printed := make(chan string, 8) // what the learner's server prints
			for i, st := range l.Steps {
				before := len(ui.notesWith(""))
				if who == lessons.ChoiceMe && i == 2 {
					// Step 3's preview: the connection the learner's
					// server accepts is the learner's too.
					ext := s.ExternalDirectives(st.Directives)
					for j, d := range st.Directives {
						theirs := strings.HasSuffix(d.String(), " conn size=1024") || strings.HasPrefix(d.String(), "send conn") || strings.HasPrefix(d.String(), "accept")
						if ext[j] != theirs {
							t.Errorf("step 3: %q previewed as the learner's: %v, want %v", d.String(), ext[j], theirs)
						}
					}
				}
				if err := s.RunStep(stepCtx(t), st.Directives); err != nil {
					t.Fatalf("step %d (%s): %v", i+1, st.Title, err)
				}
				if who == lessons.ChoiceMe {
					seen := map[string]int{}
					for _, n := range ui.notesWith("")[before:] {
						if seen[n.Key]++; seen[n.Key] > 1 && strings.HasPrefix(n.Key, "peer.your-turn.") {
							t.Errorf("step %d: note %s printed twice", i+1, n.Key)
						}
					}
				}
				if i > 0 || who != lessons.ChoiceMe {
					continue
				}
				// The other terminal: the learner pastes the first command.
				cmds := commandNotes(t, ui)
				first := strings.Split(cmds, "\n")[0]
				m := regexp.MustCompile(`^python3 -c .*\('127\.0\.0\.1', (\d+)\)`).FindStringSubmatch(first)
				if m == nil || m[1] == "0" {
					t.Fatalf("the first command to paste is not python3 naming a port:\n%s", cmds)
				}
				learner = startLearner(t, first, m[1], printed)
			}
			if who == lessons.ChoiceMe {
				if err := learner(); err != nil {
					t.Errorf("the learner's server: %v", err)
				}
				if b := <-printed; !strings.HasSuffix(b, " b'hi'") {
					t.Errorf("the learner's server printed %q, want what the caller sent", b)
				}
			}
			if c := ui.lastCall(t, "c", "send"); string(c.Data) != "hi" {
				t.Errorf("sent %q", c.Data)
			}
			if c := ui.lastCall(t, "c", "recv"); len(c.Data) == 0 {
				t.Errorf("the caller read no answer: %+v", c)
			}
			// The last step's promise: the side that hangs up first (c)
			// keeps the connection in TIME_WAIT.
			if f := ui.lastFacts(t, "c"); f.State != "TIME_WAIT" {
				t.Errorf("c after hanging up first: %q, want TIME_WAIT", f.State)
			}
			var states *lessons.Measurement
			for i := range ui.measures {
				if ui.measures[i].Title == "states.title" {
					states = &ui.measures[i]
				}
			}
			if states == nil {
				t.Fatal("no states drawn")
			}
			for _, tr := range states.Tracks {
				if tr.Socket == "c" && tr.Seen[len(tr.Seen)-1] != "TIME_WAIT" {
					t.Errorf("states of c end in %v, want TIME_WAIT", tr.Seen)
				}
				if tr.Socket == "conn" && who == lessons.ChoiceMe {
					t.Errorf("the learner's conn is drawn as a socket of sockstep's: %v", tr.Seen)
				}
			}
		})
	}
}

// startLearner runs the command the learner pastes, as printed, and
// waits until it listens; each line it prints is passed on. Without
// python3 a Go server that does what the command does stands in. It
// returns the wait for the program's end.
func startLearner(t *testing.T, command, port string, printed chan<- string) func() error {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Logf("python3 is not installed: a Go server does what the command does")
		return goLearner(t, port, printed)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, "sh", "-c", command)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan struct{})
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			printed <- sc.Text()
		}
	}()
	// The lesson's connect comes next: wait until the command listens
	// (a probe connection would be the one call it accepts).
	eventually(t, "the learner's server listens", func() bool { return listening(port) })
	return func() error { <-lines; return cmd.Wait() }
}

// goLearner is the python3 server of ExternalCommands("tcp-server"), in Go.
func goLearner(t *testing.T, port string, printed chan<- string) func() error {
	ln, err := net.Listen("tcp4", "127.0.0.1:"+port)
	if err != nil {
		t.Fatalf("the printed port is not free: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		defer ln.Close()
		c, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer c.Close()
		buf := make([]byte, 1024)
		for {
			n, err := c.Read(buf)
			if err == io.EOF {
				done <- nil
				return
			}
			if err != nil {
				done <- err
				return
			}
			printed <- c.RemoteAddr().String() + " b'" + string(buf[:n]) + "'"
			c.Write([]byte("ok"))
		}
	}()
	return func() error { return <-done }
}

// listening reports whether something listens on the TCP port of
// 127.0.0.1, as the kernel's table says (/proc/net/tcp, state 0A is
// LISTEN); where it cannot be read, whether the port is taken.
func listening(port string) bool {
	data, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		ln, err := net.Listen("tcp4", "127.0.0.1:"+port)
		if err == nil {
			ln.Close()
		}
		return err != nil
	}
	n, _ := strconv.Atoi(port)
	want := fmt.Sprintf(":%04X ", n)
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) > 3 && strings.HasSuffix(f[1]+" ", want) && f[3] == "0A" {
			return true
		}
	}
	return false
}

// The tcp-client lesson with its server played by the learner, with the
// python3 command printed: the server answers each of the caller's
// messages, and the caller, who hangs up first, ends in TIME_WAIT, as
// the lesson says.
func TestTCPClientLessonByHand(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed")
	}
	for _, lang := range content.Langs {
		t.Run(string(lang), func(t *testing.T) {
			l := builtinLesson(t, lang, "tcp-client")
			s, ui := newSession(t, lessons.Config{Port: sockettest.FreePort(t)})
			ui.who = lessons.ChoiceMe
			var learner func() error
			printed := make(chan string, 16)
			for i, st := range l.Steps {
				if err := s.RunStep(stepCtx(t), st.Directives); err != nil {
					t.Fatalf("step %d (%s): %v", i+1, st.Title, err)
				}
				if learner == nil && len(ui.cmds) > 0 {
					first := ui.cmds[0]
					m := regexp.MustCompile(`\('127\.0\.0\.1', (\d+)\)`).FindStringSubmatch(first)
					if m == nil {
						t.Fatalf("no python3 server command: %q", ui.cmds)
					}
					learner = startLearner(t, first, m[1], printed)
				}
			}
			if learner == nil {
				t.Fatal("no command to paste was printed")
			}
			if err := learner(); err != nil {
				t.Errorf("the learner's server: %v", err)
			}
			for _, c := range ui.callsOf("c") {
				if strings.HasPrefix(c.Text, "recv(") && string(c.Data) != "ok" {
					t.Errorf("the caller read %q, want the server's ok", c.Data)
				}
			}
			if f := ui.lastFacts(t, "c"); f.State != "TIME_WAIT" {
				t.Errorf("c after hanging up first: %q, want TIME_WAIT", f.State)
			}
		})
	}
}
