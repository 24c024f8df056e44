package proc

import (
	"bytes"
	"testing"
	"time"

	"github.com/sockstep/sockstep/lessons/sockettest"
)

// groupGone waits for the kernel to forget the group. Killed grandchildren
// are reparented to init, which reaps them a moment later; until then a
// zombie still counts as a member. The bound is generous and is not a
// timing assertion: a group that stays means a leaked process.
func groupGone(t *testing.T, pgid int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for GroupAlive(pgid) {
		if time.Now().After(deadline) {
			t.Fatalf("process group %d is still alive after Stop", pgid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestStop(t *testing.T) {
	tests := []struct {
		name       string
		script     string
		stdin      []byte
		wait       bool // let it exit by itself
		wantCode   int
		wantStop   bool
		wantKill   bool
		wantStdout string
	}{
		{name: "exit status", script: "exit 3", wait: true, wantCode: 3},
		{name: "stdin to stdout", script: "cat", stdin: []byte("你好\n"), wait: true, wantStdout: "你好\n"},
		{name: "hangs", script: "sleep 30", wantCode: -1, wantStop: true},
		{name: "children", script: "sleep 30 & sleep 30 & wait", wantCode: -1, wantStop: true},
		{name: "ignores SIGTERM", script: `trap "" TERM; sleep 30 & sleep 30`, wantCode: -1, wantStop: true, wantKill: true},
		{name: "leaves a child behind", script: "sleep 30 & exit 0", wait: true, wantCode: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := sockettest.FDs(t)
			p, err := Start(Spec{Path: "sh", Args: []string{"-c", tt.script}, Stdin: tt.stdin})
			if err != nil {
				t.Fatal(err)
			}
			if tt.wait {
				<-p.Done()
			} else {
				time.Sleep(50 * time.Millisecond) // let it start its children
			}
			r := p.Stop(200 * time.Millisecond)
			if r.Code != tt.wantCode || r.Stopped != tt.wantStop || r.NeededKill != tt.wantKill {
				t.Errorf("result = %+v, want code %d, stopped %v, needed kill %v", r, tt.wantCode, tt.wantStop, tt.wantKill)
			}
			if got := string(p.Stdout.Bytes()); got != tt.wantStdout {
				t.Errorf("stdout = %q, want %q", got, tt.wantStdout)
			}
			groupGone(t, p.Pgid())
			if after := sockettest.FDs(t); after > before {
				t.Errorf("open files: %d before, %d after", before, after)
			}
		})
	}
}

func TestFloodIsCapped(t *testing.T) {
	p, err := Start(Spec{Path: "sh", Args: []string{"-c", "yes flood; exit 0"}, OutputCap: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for p.Stdout.Total() < 1<<20 {
		time.Sleep(5 * time.Millisecond)
	}
	p.Stop(100 * time.Millisecond)
	if n := len(p.Stdout.Bytes()); n != 1000 {
		t.Errorf("kept %d bytes of stdout, want 1000", n)
	}
	if !p.Stdout.Truncated() {
		t.Error("a flood was not reported as truncated")
	}
	if tail := p.Stdout.Tail(); !bytes.HasSuffix(tail, []byte("flood\n")) {
		t.Errorf("tail %q does not end with the last line", tail[max(0, len(tail)-20):])
	}
	groupGone(t, p.Pgid())
}

func TestStartMissingCommand(t *testing.T) {
	if _, err := Start(Spec{Path: "sockstep-no-such-command"}); err == nil {
		t.Fatal("starting a missing command did not fail")
	}
}

func TestCapBuffer(t *testing.T) {
	b := NewCapBuffer(4)
	b.Write([]byte("ab"))
	b.Write([]byte("cdef"))
	if got := string(b.Bytes()); got != "abcd" {
		t.Errorf("Bytes = %q, want abcd", got)
	}
	if got := string(b.Tail()); got != "abcdef" {
		t.Errorf("Tail = %q, want abcdef", got)
	}
	if b.Total() != 6 || !b.Truncated() {
		t.Errorf("Total = %d, Truncated = %v", b.Total(), b.Truncated())
	}
}
