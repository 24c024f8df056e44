//go:build !windows

package runner

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/muesli/termenv"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
)

// interactiveRunner builds a runner whose survey prompts and output both go
// to the console.
func interactiveRunner(t *testing.T, lang content.Lang) (*Runner, *console) {
	t.Helper()
	c, stdio := newConsole(t)
	r, err := New(Options{Lang: lang, Mode: Interactive, Stdio: stdio, Out: stdio.Out,
		Width: 100, Style: "dark", Profile: termenv.ANSI256,
		Session: lessons.Config{Port: sockettest.FreePort(t)}})
	if err != nil {
		t.Fatal(err)
	}
	return r, c
}

// runAsync runs the lesson in the background, as a learner would meet it,
// while the test plays the learner at the keyboard.
func runAsync(ctx context.Context, r *Runner, l *content.Lesson) <-chan error {
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx, l) }()
	return done
}

func wait(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("the lesson did not end")
		return nil
	}
}

// TestInteractiveLesson drives udp-recv through its survey prompts with
// key presses: run, explain again, back, the peer question, and run to the
// end. Every socket must be closed afterwards.
func TestInteractiveLesson(t *testing.T) {
	before := len(sockettest.Sockets(t))
	r, c := interactiveRunner(t, content.English)
	done := runAsync(context.Background(), r, lesson(t, content.English, "udp-recv"))

	c.expectString("Step 1 of 6")
	c.choose(0) // run: socket()
	c.expectString("= fd ")
	c.expectString("What the kernel reports")

	c.expectString("Step 2 of 6")
	c.choose(1) // explain again
	c.expectString("Step 2 of 6")
	c.choose(2) // back to step 1: shown, not rerun
	c.expectString("nothing is run twice")
	c.expectString("Step 1 of 6")
	c.choose(0) // next (step 1 has no back)
	c.expectString("Step 2 of 6")
	c.choose(0) // run bind
	c.expectString("127.0.0.1:")

	c.expectString("Step 3 of 6")
	c.choose(0)
	c.expectString("EADDRNOTAVAIL")

	c.expectString("Step 4 of 6")
	c.choose(0)
	finishUDPRecv(t, c, done, before)
}

// finishUDPRecv plays the English udp-recv lesson from the prompt of its
// step 4 (run it) to the end, with sockstep sending the datagram, and
// checks that Run returns nil with as many sockets open as before.
func finishUDPRecv(t *testing.T, c *console, done <-chan error, before int) {
	t.Helper()
	c.expectString("Who sends the datagram?")
	c.choose(0) // sockstep does it
	c.expectString("hello, receiver")
	for _, step := range []string{"Step 5 of 6", "Step 6 of 6"} {
		c.expectString(step)
		c.choose(0)
	}
	c.expectString("Lesson finished")
	if err := wait(t, done); err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	if after := len(sockettest.Sockets(t)); after != before {
		t.Errorf("open sockets: %d before, %d after", before, after)
	}
}

// TestInteractiveInterrupt presses Ctrl-C at a prompt in the middle of a
// lesson: Run must return ErrInterrupted at once with every socket closed.
func TestInteractiveInterrupt(t *testing.T) {
	before := len(sockettest.Sockets(t))
	r, c := interactiveRunner(t, content.Chinese)
	done := runAsync(context.Background(), r, lesson(t, content.Chinese, "udp-recv"))
	c.expectString("接下来做什么")
	c.choose(0) // socket()
	c.expectString("第 2 步")
	c.choose(0) // bind()
	c.expectString("第 3 步")
	c.expectString("[↑/↓ 移动，回车选择") // survey's hint, in Chinese too
	c.waitRaw()
	c.send(keyCtrlC)
	err := wait(t, done)
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("Run = %v, want ErrInterrupted", err)
	}
	if after := len(sockettest.Sockets(t)); after != before {
		t.Errorf("open sockets: %d before, %d after Ctrl-C", before, after)
	}
}

// TestInterruptDuringBlockingCall cancels the context (what SIGINT does)
// while the lesson waits for a datagram that the learner said they would
// send from another terminal, and never does.
func TestInterruptDuringBlockingCall(t *testing.T) {
	before := len(sockettest.Sockets(t))
	r, c := interactiveRunner(t, content.English)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := runAsync(ctx, r, lesson(t, content.English, "udp-recv"))
	for i := 0; i < 4; i++ {
		c.choose(0)
	}
	c.expectString("Who sends the datagram?")
	c.choose(1) // I do it myself
	c.expectString("python3 -c")
	// The step waits until the learner's datagram is in rx's queue
	// (it shows it), and nobody sends.
	// Whether the cancel lands while recvfrom waits or a moment before,
	// the lesson must stop the same way; the pause makes the first case
	// the usual one.
	time.Sleep(200 * time.Millisecond)
	cancel()
	if err := wait(t, done); !errors.Is(err, ErrInterrupted) {
		t.Fatalf("Run = %v, want ErrInterrupted", err)
	}
	if after := len(sockettest.Sockets(t)); after != before {
		t.Errorf("open sockets: %d before, %d after", before, after)
	}
}

// TestMenu picks the second lesson with the arrow keys.
func TestMenu(t *testing.T) {
	r, c := interactiveRunner(t, content.English)
	items := []MenuItem{{ID: "intro", Title: "Intro", Kind: content.KindLesson}, {ID: "udp-recv", Title: "UDP receiver", Kind: content.KindLesson, Done: true}}
	got := make(chan string, 1)
	go func() {
		it, _, err := r.Menu(context.Background(), items)
		if err != nil {
			t.Error(err)
		}
		got <- it.ID
	}()
	c.expectString("pick a lesson")
	c.expectString(selectHint)
	c.expectString("✓ lesson udp-recv") // finished lessons are marked
	c.waitRaw()
	c.send(keyDown + keyEnter)
	select {
	case id := <-got:
		if id != "udp-recv" {
			t.Errorf("Menu = %q, want udp-recv", id)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("menu did not return")
	}
}

// TestInteractiveTypedInput drives tcp-client's text prompts: the learner
// keeps the suggested host and port and types their own line, which must
// arrive at sockstep's server byte for byte.
func TestInteractiveTypedInput(t *testing.T) {
	before := len(sockettest.Sockets(t))
	r, c := interactiveRunner(t, content.English)
	done := runAsync(context.Background(), r, lesson(t, content.English, "tcp-client"))
	c.choose(0) // step 1: run
	c.expectString("Who runs the server")
	c.choose(0) // sockstep does
	c.expectString("LISTEN")
	c.choose(0) // step 2: socket
	c.choose(0) // step 3: refused connect
	c.expectString("ECONNREFUSED")
	c.choose(0) // step 4: connect, asks host and port
	c.answer("Server address (host):", "")
	c.answer("Server port:", "")
	c.expectString("ESTABLISHED")
	c.choose(0) // step 5: accept
	c.choose(0) // step 6: send, asks the text
	c.answer("Text to send:", "typed 你好")
	c.choose(0) // step 7: the server receives it
	c.expectString(`"typed 你好"`)
	c.choose(0) // step 8: recv
	c.choose(0) // step 9: the second send, asks the text
	c.answer("Text to send:", "")
	for i := 10; i <= 13; i++ {
		c.choose(0)
	}
	c.expectString("Lesson finished")
	if err := wait(t, done); err != nil {
		t.Fatalf("Run = %v", err)
	}
	if after := len(sockettest.Sockets(t)); after != before {
		t.Errorf("open sockets: %d before, %d after", before, after)
	}
}

// TestPresenterPause: in presenter mode (--auto 3s) the lesson advances by
// itself; a key press pauses the countdown and another resumes it.
func TestPresenterPause(t *testing.T) {
	c, stdio := newConsole(t)
	r, err := New(Options{Lang: content.English, Mode: Presenter, Delay: 400 * time.Millisecond, Terminal: true,
		Stdio: stdio, Out: stdio.Out, Width: 100, Style: "dark", Profile: termenv.ANSI256,
		Session: lessons.Config{Port: sockettest.FreePort(t)}})
	if err != nil {
		t.Fatal(err)
	}
	done := runAsync(context.Background(), r, lesson(t, content.English, "udp-recv"))
	c.expectString("Step 1 of 6")
	c.expectString("next step in")
	c.waitRaw()
	c.send(" ") // pause
	c.expectString("paused")
	// Unpaused, the whole lesson takes 6 × 0.4 s; paused, it must still
	// be waiting well after that.
	select {
	case err := <-done:
		t.Fatalf("the lesson went on while paused and ended: %v", err)
	case <-time.After(3 * time.Second):
	}
	c.send(" ") // resume
	c.expectString("= fd ")
	c.expectString("Lesson finished")
	if err := wait(t, done); err != nil {
		t.Fatalf("Run = %v", err)
	}
}

// TestInteractivePrediction: an experiment's "what do you think will
// happen?" is a survey Select with the lesson's own answers; the guess is
// compared with what the kernel did, after the numbers.
func TestInteractivePrediction(t *testing.T) {
	before := len(sockettest.Sockets(t))
	r, c := interactiveRunner(t, content.Chinese)
	done := runAsync(context.Background(), r, lesson(t, content.Chinese, "truncation"))

	c.expectString("第 1 步，共 2 步")
	c.choose(0) // run
	c.expectString("运行之前先猜一猜")
	c.choose(1) // the right answer: the rest is thrown away
	c.expectString("MSG_TRUNC")
	c.expectString("你的预测：拿到前 1024 字节，剩下的被丢掉")
	c.expectString("内核的表现正是如此")
	c.expectString("第 2 步，共 2 步")
	c.choose(0)
	c.expectString("一个字节也没丢")
	if err := wait(t, done); err != nil {
		t.Fatalf("lesson: %v", err)
	}
	if after := len(sockettest.Sockets(t)); after != before {
		t.Errorf("open sockets: %d before, %d after", before, after)
	}
}

// TestInteractiveCompact: on a projector (--compact) each step's results
// stay on their screen until the presenter has read them; the next step
// then clears it.
func TestInteractiveCompact(t *testing.T) {
	c, stdio := newConsole(t)
	r, err := New(Options{Lang: content.English, Mode: Interactive, Stdio: stdio, Out: stdio.Out,
		Width: 100, Style: "dark", Profile: termenv.ANSI256, Compact: true,
		Session: lessons.Config{Port: sockettest.FreePort(t)}})
	if err != nil {
		t.Fatal(err)
	}
	done := runAsync(context.Background(), r, lesson(t, content.English, "truncation"))
	c.expectString("Read? The rest follows") // the intro stays until read
	c.choose(0)
	c.expectString("Step 1 of 2")
	c.choose(0) // run
	c.expectString("what do you think will happen?")
	c.choose(1)
	c.expectString("That is what the kernel did")
	c.expectString("Results read?")
	c.choose(0)
	c.expectString("Step 2 of 2")
	c.choose(0)
	c.expectString("nothing lost")
	c.expectString("Results read?") // the last step is held too
	c.choose(0)
	if err := wait(t, done); err != nil {
		t.Fatalf("lesson: %v", err)
	}
}
