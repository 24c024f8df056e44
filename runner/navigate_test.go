//go:build !windows

package runner

import (
	"context"
	"testing"
	"time"

	"github.com/muesli/termenv"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
)

// TestBackThroughSteps goes back from step 4 to step 1, one step at a
// time, then forward again: every step already shown can be seen again,
// and nothing runs twice.
func TestBackThroughSteps(t *testing.T) {
	before := len(sockettest.Sockets(t))
	r, c := interactiveRunner(t, content.English)
	done := runAsync(context.Background(), r, lesson(t, content.English, "udp-recv"))
	for _, step := range []string{"Step 1 of 6", "Step 2 of 6", "Step 3 of 6"} {
		c.expectString(step)
		c.choose(0) // run
	}
	c.expectString("Step 4 of 6")
	c.choose(2) // back (run, explain, back, quit)
	c.expectString("Step 3 of 6")
	c.expectString("EADDRNOTAVAIL") // its results, shown again
	c.choose(1)                     // back again (next, back, quit)
	c.expectString("Step 2 of 6")
	c.choose(1)
	c.expectString("Step 1 of 6")
	c.choose(0) // next: step 1 has no back
	c.expectString("Step 2 of 6")
	c.choose(0)
	c.expectString("Step 3 of 6")
	c.choose(0)
	c.expectString("Step 4 of 6")
	c.choose(0) // run, at last
	finishUDPRecv(t, c, done, before)
}

// TestPresenterKeys drives a presenter's countdown with keys: a number
// and Enter jump ahead (the steps between run unseen, so their sockets
// exist), b goes back, Enter goes on at once.
func TestPresenterKeys(t *testing.T) {
	c, stdio := newConsole(t)
	r, err := New(Options{Lang: content.English, Mode: Presenter, Delay: time.Minute, Terminal: true,
		Stdio: stdio, Out: stdio.Out, Width: 100, Style: "dark", Profile: termenv.ANSI256,
		Session: lessons.Config{Port: sockettest.FreePort(t)}})
	if err != nil {
		t.Fatal(err)
	}
	done := runAsync(context.Background(), r, lesson(t, content.English, "udp-recv"))
	keys := func(s string) {
		c.expectString("next step in")
		c.waitRaw()
		c.send(s)
	}
	c.expectString("Step 1 of 6")
	keys("3")
	c.expectString("go to step 3")
	c.send(keyEnter)
	c.expectString("Step 3 of 6")
	keys("b")
	c.expectString("Step 2 of 6")
	c.expectString("127.0.0.1:") // step 2's bind ran unseen: its results are kept
	keys(keyEnter)
	c.expectString("Step 3 of 6")
	keys(keyEnter)
	c.expectString("EADDRNOTAVAIL")
	keys("6" + keyEnter)
	c.expectString("Step 6 of 6")
	keys("n")
	c.expectString("Lesson finished")
	if err := wait(t, done); err != nil {
		t.Fatalf("Run = %v", err)
	}
}

// TestPresenterKeyTable: what each key asks of a countdown.
func TestPresenterKeyTable(t *testing.T) {
	for _, tc := range []struct {
		keys       []string
		act        string
		digits     string
		paused     bool
		interrupts bool
	}{
		{keys: []string{"\r"}, act: choiceNext},
		{keys: []string{"n"}, act: choiceNext},
		{keys: []string{"\x1b[C"}, act: choiceNext},
		{keys: []string{"b"}, act: choiceBack},
		{keys: []string{"\x1b[D"}, act: choiceBack},
		{keys: []string{"q"}, act: choiceQuit},
		{keys: []string{" "}, paused: true},
		{keys: []string{" ", "x"}},
		{keys: []string{"1", "2"}, digits: "12"},
		{keys: []string{"1", "2", "\x7f"}, digits: "1"},
		{keys: []string{"1", "2", "\r"}, act: choiceJump, digits: "12"},
		{keys: []string{"1", "\x1b"}},
		{keys: []string{"12345"}, digits: "1234"},
		{keys: []string{"\x03"}, interrupts: true},
	} {
		var k presenterKeys
		var act string
		var err error
		for _, s := range tc.keys {
			if act, err = k.key([]byte(s)); err != nil || act != "" {
				break
			}
		}
		if (err != nil) != tc.interrupts || act != tc.act || k.digits != tc.digits || k.paused != tc.paused {
			t.Errorf("keys %q: act %q, digits %q, paused %v, err %v; want %q, %q, %v, interrupt %v",
				tc.keys, act, k.digits, k.paused, err, tc.act, tc.digits, tc.paused, tc.interrupts)
		}
	}
}
