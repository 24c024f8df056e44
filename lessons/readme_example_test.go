package lessons_test

import (
	"io"
	"net"
	"regexp"
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

// The README's example runs on every path: sockstep plays the server, or
// the learner does from another terminal ("I do it myself"), where its
// port=0 becomes a real port, free when the commands are printed, that
// the commands name and the client dials.
func TestReadmeExampleEveryPath(t *testing.T) {
	l := readmeLesson(t)
	for _, who := range []string{lessons.ChoiceSockstep, lessons.ChoiceMe} {
		t.Run(who, func(t *testing.T) {
			s, ui := newSession(t, lessons.Config{})
			ui.who = who
			got := make(chan string, 1)
			for i, st := range l.Steps {
				if err := s.RunStep(stepCtx(t), st.Directives); err != nil {
					t.Fatalf("step %d (%s): %v", i+1, st.Title, err)
				}
				if i > 0 || who != lessons.ChoiceMe {
					continue
				}
				// The other terminal: the learner pastes the nc command.
				cmds := commandNotes(t, ui)
				m := regexp.MustCompile(`^nc -l 127\.0\.0\.1 (\d+)$`).FindStringSubmatch(strings.Split(cmds, "\n")[0])
				if m == nil || m[1] == "0" {
					t.Fatalf("the command to paste names no port:\n%s", cmds)
				}
				ln, err := net.Listen("tcp4", "127.0.0.1:"+m[1])
				if err != nil {
					t.Fatalf("the printed port is not free: %v", err)
				}
				t.Cleanup(func() { ln.Close() })
				go func() {
					c, err := ln.Accept()
					if err != nil {
						got <- err.Error()
						return
					}
					defer c.Close()
					b, _ := io.ReadAll(io.LimitReader(c, 1024)) // until the client closes, as nc
					got <- string(b)
				}()
			}
			if who == lessons.ChoiceMe {
				if b := <-got; b != "hi" {
					t.Errorf("the learner's server read %q, want hi", b)
				}
			}
			if c := ui.lastCall(t, "c", "send"); string(c.Data) != "hi" {
				t.Errorf("sent %q", c.Data)
			}
		})
	}
}
