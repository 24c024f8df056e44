//go:build unix

package verify

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSplitGoRun(t *testing.T) {
	for _, tc := range []struct {
		argv        []string
		build, args []string
		ok          bool
	}{
		{argv: []string{"go", "run", "./prog"}, build: []string{"./prog"}, args: []string{}, ok: true},
		{argv: []string{"/usr/local/go/bin/go", "run", ".", "x"}, build: []string{"."}, args: []string{"x"}, ok: true},
		{argv: []string{"go", "run", "main.go", "util.go", "arg"}, build: []string{"main.go", "util.go"}, args: []string{"arg"}, ok: true},
		{argv: []string{"go", "run", "-race", "-tags", "x", "./p", "a"}, build: []string{"-race", "-tags", "x", "./p"}, args: []string{"a"}, ok: true},
		{argv: []string{"go", "run", "-ldflags=-s", "."}, build: []string{"-ldflags=-s", "."}, args: []string{}, ok: true},
		{argv: []string{"go", "run", "-exec", "sudo", "."}},
		{argv: []string{"go", "build", "."}},
		{argv: []string{"python3", "run", "x.py"}},
		{argv: []string{"go", "run"}},
	} {
		build, args, ok := splitGoRun(tc.argv)
		if ok != tc.ok || ok && (!slices.Equal(build, tc.build) || !slices.Equal(args, tc.args)) {
			t.Errorf("splitGoRun(%q) = %q, %q, %v; want %q, %q, %v", tc.argv, build, args, ok, tc.build, tc.args, tc.ok)
		}
	}
}

// A `go run` program is built before the clock starts: the reference
// solution passes within a time limit shorter than a cold build as
// another user would take, and a program that does not compile gets the
// compiler's words, not "could not start".
func TestGoRunBuiltFirst(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	r, err := Run(context.Background(), "udp-send", []string{goBin, "run", "../../content/solutions/udp-send"}, Options{Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Passed {
		t.Errorf("the reference solution under go run did not pass: %v %v", r.Diffs, hintKeys(r))
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\nfunc main() { x := }\n"), 0o644)
	r, err = Run(context.Background(), "udp-send", []string{goBin, "run", "main.go"}, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if r.Passed || len(r.Hints) != 1 || r.Hints[0].Key != "verify.hint.go_build" {
		t.Fatalf("a program that does not compile: passed %v, hints %v; want go_build alone", r.Passed, hintKeys(r))
	}
	if !strings.Contains(fmt.Sprint(r.Hints[0].Args...), "syntax error") {
		t.Errorf("the hint does not carry the compiler's words: %v", r.Hints[0])
	}
	left, _ := filepath.Glob(filepath.Join(os.TempDir(), "sockstep-gorun-*"))
	for _, l := range left {
		if info, err := os.Stat(l); err == nil && time.Since(info.ModTime()) < time.Minute {
			t.Errorf("build folder left behind: %s", l)
		}
	}
}
