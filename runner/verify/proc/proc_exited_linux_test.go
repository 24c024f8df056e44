package proc

import (
	"testing"
	"time"
)

// A program that has exited by itself is reported so even when Stop is
// called before the watching goroutine has noticed: exitedNow asks the
// kernel. A running one is not.
func TestExitedNow(t *testing.T) {
	p, err := Start(Spec{Path: "/bin/sh", Args: []string{"-c", "exit 3"}})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !p.exitedNow() {
		if time.Now().After(deadline) {
			t.Fatal("exitedNow never saw the program's exit")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if r := p.Stop(time.Second); r.Stopped || r.Code != 3 {
		t.Errorf("Stop after the exit = %+v, want exit 3, not stopped", r)
	}
	q, err := Start(Spec{Path: "/bin/sh", Args: []string{"-c", "sleep 30"}})
	if err != nil {
		t.Fatal(err)
	}
	if q.exitedNow() {
		t.Error("a running program is reported as exited")
	}
	if r := q.Stop(time.Second); !r.Stopped {
		t.Errorf("Stop of a running program = %+v, want stopped", r)
	}
}
