//go:build !windows

package verify

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons/sockettest"
	"github.com/sockstep/sockstep/runner/verify/proc"
)

// wrongTimeout keeps the checks of wrong programs that hang short. A
// correct program finishes in milliseconds, so it is not a timing
// assertion: it only bounds how long a stuck one costs the test.
const wrongTimeout = 1500 * time.Millisecond

func check(t *testing.T, id string, argv []string, timeout time.Duration) *Result {
	t.Helper()
	r, err := Run(context.Background(), id, argv, Options{Timeout: timeout})
	if err != nil {
		t.Fatalf("Run(%s): %v", id, err)
	}
	return r
}

func hintKeys(r *Result) []string {
	var keys []string
	for _, h := range r.Hints {
		keys = append(keys, h.Key)
	}
	return keys
}

func TestReferenceSolutionsPass(t *testing.T) {
	for _, id := range IDs() {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			r := check(t, id, []string{bin(id)}, 0)
			if !r.Passed {
				t.Errorf("the reference solution fails: diffs %+v, hints %v, stderr %q", r.Diffs, hintKeys(r), r.Obs.Stderr)
			}
		})
	}
}

// Each wrong Go program in testdata/go is named EXERCISE--MISTAKE and must
// fail with the hint for that mistake first.
func TestWrongGoSolutions(t *testing.T) {
	want := map[string]string{
		"udp-send--newline":                        "newline_in_datagram",
		"udp-send--sends-exit":                     "sent_exit",
		"udp-send--joined":                         "split_joined",
		"udp-send--gbk":                            "gbk_encoded",
		"udp-send--nothing":                        "nothing_sent",
		"udp-recv--tuple":                          "address_format",
		"udp-recv--bytes":                          "not_decoded",
		"udp-recv--own-port":                       "wrong_port",
		"udp-recv--no-exit":                        "no_exit",
		"udp-recv--addr-not-avail":                 "addr_not_avail",
		"tcp-client--newline":                      "newline_in_message",
		"tcp-client--until-eof":                    "client_never_closed",
		"tcp-client--no-reply":                     "reply_missing",
		"tcp-client--refused":                      "refused",
		"tcp-server--fixed-reply":                  "not_echo",
		"tcp-server--one-client":                   "server_exited",
		"tcp-server--decode":                       "decode_error_echo",
		"tcp-server--never-closes":                 "server_never_closed",
		"tcp-server--adds-newline":                 "newline_in_stream",
		"tcp-server-concurrent--one-recv":          "closed_early",
		"tcp-server-concurrent--no-echo":           "no_echo",
		"tcp-server-concurrent--exits-with-client": "server_exited",
		"tcp-file--little-endian":                  "byte_order",
		"tcp-file--no-prefix":                      "no_prefix",
		"tcp-file--partial-send":                   "truncated",
		"tcp-file--text-mode":                      "text_mode",
		"udp-recv-timeout--no-timeout":             "no_recv_timeout",
		"udp-recv-timeout--deadline-once":          "timeout_once",
		"udp-recv-timeout--crash":                  "timeout_crash",
		"udp-recv-timeout--milliseconds":           "timeout_too_soon",
		"tcp-client-sendall--one-recv":             "reply_truncated",
		"tcp-client-sendall--partial-send":         "truncated",
		"tcp-client-sendall--no-shutdown":          "no_half_close",
		"tcp-client-sendall--close":                "closed_before_reply",
		"tcp-server-poll--sequential":              "not_polled",
		"tcp-server-poll--thread-per-client":       "thread_per_client",
		"tcp-server-poll--never-closes":            "server_never_closed",
		"tcp-server-poll--exits-on-close":          "server_exited",
		"tcp-server-poll--goroutines":              "",
		// Honest programs ("" must pass) and the mistakes of issue 13.
		"tcp-client--close-write":     "",
		"tcp-file--close-write":       "",
		"tcp-server--closes-listener": "server_exited",
		"tcp-server--wrong-port":      "wrong_port",
	}
	dirs, _ := filepath.Glob("testdata/go/*")
	if len(dirs) != len(want) {
		t.Errorf("testdata/go has %d programs, the table %d", len(dirs), len(want))
	}
	perExercise := map[string]int{}
	for name, key := range want {
		id, _, _ := strings.Cut(name, "--")
		if key != "" {
			perExercise[id]++
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if key == "" {
				if r := check(t, id, []string{bin(name)}, 0); !r.Passed {
					t.Errorf("an honest program fails: diffs %+v, hints %v", r.Diffs, hintKeys(r))
				}
				return
			}
			r := check(t, id, []string{bin(name)}, wrongTimeout)
			if r.Passed {
				t.Fatal("a wrong program passed")
			}
			if got := hintKeys(r); len(got) == 0 || got[0] != "verify.hint."+key {
				t.Errorf("hints = %v, want %s first; diffs %+v", got, key, r.Diffs)
			}
		})
	}
	for _, id := range IDs() {
		if perExercise[id] < 3 {
			t.Errorf("exercise %s has %d wrong programs, want at least 3", id, perExercise[id])
		}
	}
}

// The same in Python, the learners' language, when python3 is installed.
func TestPythonSolutions(t *testing.T) {
	py := python3(t)
	want := map[string]string{ // "" means it must pass
		"udp-send--ok":                      "",
		"udp-send--newline":                 "newline_in_datagram",
		"udp-send--typo":                    "crashed",
		"udp-recv--ok":                      "",
		"udp-recv--tuple":                   "address_format",
		"udp-recv--fixed-lan-address":       "addr_not_avail",
		"tcp-client--ok":                    "",
		"tcp-client--bytes":                 "not_decoded",
		"tcp-client--until-eof":             "client_never_closed",
		"tcp-server--ok":                    "",
		"tcp-server--decode":                "decode_error_echo",
		"tcp-server--fixed-reply":           "not_echo",
		"tcp-server-concurrent--ok":         "",
		"tcp-server-concurrent--sequential": "not_concurrent",
		"tcp-file--ok":                      "",
		"tcp-file--text-stdin":              "stdin_binary",
		"tcp-file--little-endian":           "byte_order",
		// Issue 13: honest programs as learners write them, and mistakes.
		"tcp-client--half-close":      "",
		"tcp-client--prompt":          "",
		"tcp-client--label":           "label",
		"tcp-client--gbk-decode":      "gbk_decode_crash",
		"udp-recv--gbk":               "gbk_decoded",
		"udp-recv--any-address":       "",
		"udp-recv--dual-stack":        "",
		"udp-recv--wrong-port":        "wrong_port",
		"udp-send--gbk":               "gbk_encoded",
		"udp-send--exit-newline":      "sent_exit",
		"tcp-file--print-reply":       "",
		"tcp-file--print-bytes":       "not_decoded",
		"tcp-file--extra-empty-lines": "extra_empty_lines",
		"tcp-file--half-close":        "",
		"tcp-server--closes-listener": "server_exited",
		"tcp-server--dual-stack":      "",
		"tcp-server--wrong-port":      "wrong_port",
		"udp-recv--banner":            "extra_output",
		"tcp-client--flood":           "flooded",
		"tcp-server--wrong-address":   "wrong_port",
		"udp-recv--wrong-address":     "wrong_port",
		"tcp-server-poll--selectors":  "",
		"tcp-server-poll--threading":  "thread_per_client",
	}
	files, _ := filepath.Glob("testdata/python/*.py")
	if len(files) != len(want) {
		t.Errorf("testdata/python has %d programs, the table %d", len(files), len(want))
	}
	for name, key := range want {
		id, _, _ := strings.Cut(name, "--")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			timeout := pyWrongTimeout
			if key == "" {
				timeout = 0 // the default: python3 may start slowly on a busy machine
			}
			r := check(t, id, []string{py, filepath.Join("testdata", "python", name+".py")}, timeout)
			switch {
			case key == "" && !r.Passed:
				t.Errorf("a correct program fails: diffs %+v, hints %v, stderr %q", r.Diffs, hintKeys(r), r.Obs.Stderr)
			case key != "" && r.Passed:
				t.Error("a wrong program passed")
			case key != "" && (len(r.Hints) == 0 || r.Hints[0].Key != "verify.hint."+key):
				t.Errorf("hints = %v, want %s first; diffs %+v", hintKeys(r), key, r.Diffs)
			}
		})
	}
}

// Programs that fight back: verify must fail them cleanly, with the right
// hint, and leave no process and no open file behind. Not parallel, so
// that the file counts are this test's alone.
func TestMisbehavingPrograms(t *testing.T) {
	tests := []struct {
		prog, exercise, hint string
	}{
		{"hang", "udp-send", "timeout"},
		{"hang", "tcp-server", "never_bound"},
		{"crash", "tcp-client", "crashed"},
		{"flood", "tcp-client", "timeout"},
		{"children", "udp-recv", "never_bound"},
		{"ignores-term", "tcp-file", "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.prog+"/"+tt.exercise, func(t *testing.T) {
			before := sockettest.FDs(t)
			r := check(t, tt.exercise, []string{bin(tt.prog)}, 500*time.Millisecond)
			if r.Passed {
				t.Fatal("a misbehaving program passed")
			}
			found := false
			for _, k := range hintKeys(r) {
				found = found || k == "verify.hint."+tt.hint
			}
			if !found {
				t.Errorf("hints = %v, want %s among them", hintKeys(r), tt.hint)
			}
			if pg := r.Obs.Pgid; pg > 0 && proc.GroupAlive(pg) {
				t.Errorf("process group %d is still alive", pg)
			}
			if err := syscall.Kill(-r.Obs.Pgid, 0); err != syscall.ESRCH {
				t.Errorf("kill(-%d, 0) = %v, want ESRCH", r.Obs.Pgid, err)
			}
			if after := sockettest.FDs(t); after > before {
				t.Errorf("open files: %d before, %d after", before, after)
			}
			if len(r.Obs.Stdout) > proc.DefaultCap || len(r.Obs.Stderr) > proc.DefaultCap {
				t.Errorf("kept %d bytes of stdout and %d of stderr, more than the cap", len(r.Obs.Stdout), len(r.Obs.Stderr))
			}
		})
	}
}

func TestMissingCommand(t *testing.T) {
	r := check(t, "udp-send", []string{"sockstep-no-such-command"}, time.Second)
	if r.Passed || len(r.Hints) != 1 || r.Hints[0].Key != "verify.hint.cannot_start_missing" {
		t.Errorf("passed %v, hints %v; want the cannot_start_missing hint alone", r.Passed, hintKeys(r))
	}
}

// A program that cannot be started is told why and what to do, in the
// learner's language: no English errno text in a Chinese report.
func TestCannotStart(t *testing.T) {
	dir := t.TempDir()
	noExec := filepath.Join(dir, "send.py") // not executable
	noShebang := filepath.Join(dir, "send2.py")
	os.WriteFile(noExec, []byte("print('hi')\n"), 0o644)
	os.WriteFile(noShebang, []byte("print('hi')\n"), 0o755) // no #! line
	for _, tt := range []struct {
		path, key string
		says      []string
	}{
		{noExec, "cannot_start_denied", []string{"chmod +x " + noExec, "python3 " + noExec, "没有权限"}},
		{noShebang, "cannot_start_format", []string{"#!/usr/bin/env python3", "python3 " + noShebang}},
	} {
		r := check(t, "udp-send", []string{tt.path}, time.Second)
		if len(r.Hints) != 1 || r.Hints[0].Key != "verify.hint."+tt.key {
			t.Errorf("%s: hints %v, want %s alone", tt.path, hintKeys(r), tt.key)
			continue
		}
		out := renderReport(content.Chinese, r)
		for _, s := range tt.says {
			if !strings.Contains(out, s) {
				t.Errorf("the zh report lacks %q:\n%s", s, out)
			}
		}
		for _, bad := range []string{"permission denied", "exec format error", "fork/exec"} {
			if strings.Contains(out, bad) {
				t.Errorf("the zh report holds %q:\n%s", bad, out)
			}
		}
	}
}

func TestRunUsageErrors(t *testing.T) {
	if _, err := Run(context.Background(), "no-such-exercise", []string{"true"}, Options{}); err == nil {
		t.Error("an unknown exercise gave no error")
	}
	if _, err := Run(context.Background(), "udp-send", nil, Options{}); err == nil {
		t.Error("an empty command gave no error")
	}
}

// A cancelled context (Ctrl-C) ends the check at once and fails it.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := Run(ctx, "tcp-server", []string{bin("hang")}, Options{Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if r.Passed || !r.Obs.Interrupted {
		t.Errorf("passed %v, interrupted %v; want a failed, interrupted check", r.Passed, r.Obs.Interrupted)
	}
}

// The report says when things happened: a server that closed its first
// client's connection is timed, one that left the second open is named.
func TestObservedTimes(t *testing.T) {
	r, err := Run(context.Background(), "tcp-server", []string{bin("tcp-server--never-closes")}, Options{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if r.Passed || len(r.Obs.Conns) == 0 {
		t.Fatalf("passed %v with %d connections", r.Passed, len(r.Obs.Conns))
	}
	if c := r.Obs.Conns[0]; c.Closed || c.ClosedAfter != 0 {
		t.Errorf("connection 1: closed %v after %s, want never closed", c.Closed, c.ClosedAfter)
	}
	seen := strings.Join(observed(content.Text(content.English), r.Obs), "\n")
	for _, s := range []string{"connection 1: 20 bytes from your program; it never closed the connection", "verify stopped your program after"} {
		if !strings.Contains(seen, s) {
			t.Errorf("what verify saw lacks %q:\n%s", s, seen)
		}
	}

	r, err = Run(context.Background(), "tcp-server", []string{bin("tcp-server--one-client")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c := r.Obs.Conns[0]; !c.Closed || c.ClosedAfter <= 0 {
		t.Errorf("connection 1: closed %v after %s, want closed, with its time", c.Closed, c.ClosedAfter)
	}
	seen = strings.Join(observed(content.Text(content.English), r.Obs), "\n")
	if !regexp.MustCompile(`connection 1: 20 bytes from your program; it closed the connection [\d.]+ ms after it opened`).MatchString(seen) {
		t.Errorf("what verify saw:\n%s", seen)
	}
}
