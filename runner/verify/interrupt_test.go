//go:build !windows

package verify

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockstep/sockstep/content"
)

// signalContext returns a context cancelled by a real sig sent to this
// process, as main's is, and sends it once ready() reports true. The
// signal is only sent while the context is listening for it.
func signalContext(t *testing.T, sig syscall.Signal, ready func() bool) context.Context {
	t.Helper()
	ctx, stop := signal.NotifyContext(context.Background(), sig)
	done := make(chan struct{})
	finished := make(chan struct{})
	t.Cleanup(func() {
		close(done)
		<-finished
		stop()
	})
	go func() {
		defer close(finished)
		for !ready() {
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
		syscall.Kill(os.Getpid(), sig)
	}()
	return ctx
}

// ownTempDir points TMPDIR, where verify makes its directories, at a
// folder of this test's own, so that what other packages' tests make in
// /tmp at the same time is never counted as left behind by this one. The
// folder is open to all (like /tmp), since verify runs programs as nobody.
func ownTempDir(t *testing.T) {
	t.Helper()
	d, err := os.MkdirTemp("", "verify-interrupt-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(d, 0o1777); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	t.Setenv("TMPDIR", d)
}

func tempDirs(prefix string) map[string]bool {
	m, _ := filepath.Glob(filepath.Join(os.TempDir(), prefix+"*"))
	out := map[string]bool{}
	for _, d := range m {
		out[d] = true
	}
	return out
}

// leftDirs lists the directories with prefix that appeared since before.
func leftDirs(before map[string]bool, prefix string) []string {
	var out []string
	for d := range tempDirs(prefix) {
		if !before[d] {
			out = append(out, d)
		}
	}
	return out
}

// A single verify interrupted by Ctrl-C, SIGHUP (a closed terminal) or
// SIGTERM stops the program, removes its directory, and exits 128 plus
// the signal's number, not 1 ("not passed").
func TestInterruptedVerify(t *testing.T) {
	tests := []struct {
		sig  syscall.Signal
		want int
	}{
		{syscall.SIGINT, ExitInterrupted},
		{syscall.SIGHUP, ExitHangup},
		{syscall.SIGTERM, ExitTerminated},
	}
	for _, tt := range tests {
		t.Run(tt.sig.String(), func(t *testing.T) {
			ownTempDir(t)
			before := tempDirs("sockstep-run-")
			prog := bin("hang")
			ctx := signalContext(t, tt.sig, func() bool { return len(withCmdline(prog)) > 0 })
			var stdout, stderr bytes.Buffer
			code := Command(ctx, []string{"udp-send", "--timeout", "20s", "--", prog}, nil, &stdout, &stderr, content.English, nil)
			if code != tt.want {
				t.Errorf("exit status %d, want %d; stderr %q", code, tt.want, stderr.String())
			}
			if pids := withCmdline(prog); len(pids) > 0 {
				t.Errorf("the program is still running: %v", pids)
			}
			if left := leftDirs(before, "sockstep-run-"); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if got := interruptedStatus(cancelled); got != ExitInterrupted {
		t.Errorf("a plain cancel gives %d, want %d", got, ExitInterrupted)
	}
}

// Ctrl-C while a submission builds: the build (go and its compiler) is
// killed, the row says "not checked", not build-error, and the batch's
// directory is removed.
func TestInterruptedBatchBuild(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "slowbuild-subs")
	os.MkdirAll(filepath.Join(sub, "big"), 0o755)
	// A long composite literal keeps the compiler busy for a while.
	var src strings.Builder
	src.WriteString("package main\n\nvar table = []string{\n")
	for i := range 300000 {
		fmt.Fprintf(&src, "\t\"entry %d\",\n", i)
	}
	src.WriteString("}\n\nfunc main() { println(len(table)) }\n")
	os.WriteFile(filepath.Join(sub, "big", "main.go"), []byte(src.String()), 0o644)

	ownTempDir(t)
	before := tempDirs("sockstep-batch-")
	compiling := func() bool {
		for _, pid := range withCmdline("compile") {
			if data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cwd/main.go", pid)); len(data) > 0 {
				// (The batch builds a copy of the submission, in its own
				// directory under TMPDIR.)
				if cwd, _ := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid)); strings.HasPrefix(cwd, os.TempDir()) && filepath.Base(cwd) == "big" {
					return true
				}
			}
		}
		return false
	}
	ctx := signalContext(t, syscall.SIGINT, compiling)
	jsonFile := filepath.Join(dir, "r.json")
	var stdout, stderr bytes.Buffer
	code := Command(ctx, []string{"udp-send", "--batch", sub, "--json", jsonFile}, nil, &stdout, &stderr, content.English, nil)
	if code != ExitInterrupted {
		t.Errorf("exit status %d, want %d", code, ExitInterrupted)
	}
	if data, _ := os.ReadFile(jsonFile); !bytes.Contains(data, []byte(`"status": "error"`)) || bytes.Contains(data, []byte(statusBuildError)) {
		t.Errorf("the interrupted build's row:\n%s", data)
	}
	for deadline := time.Now().Add(5 * time.Second); compiling() && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if compiling() {
		t.Error("the compiler is still running")
	}
	if left := leftDirs(before, "sockstep-batch-"); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}
