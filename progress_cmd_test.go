//go:build !windows

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProgressEscapesKeys: `sockstep progress` prints the keys of the
// progress file, which anyone can edit; a key holding an OSC (set the
// window title) or a CSI (clear the screen) is shown escaped, as peer
// data is, never as the bytes themselves.
func TestProgressEscapesKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.json")
	data := `{"lessons": {"x\u001b]0;PWN\u0007y": "2026-01-02T03:04:05Z", "udp-recv": "2026-01-02T03:04:05Z"},
	"exercises": {"e\u001b[2J\u009b": "2026-01-02T03:04:05Z"}}`
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	r := sockstep(t, []string{"SOCKSTEP_PROGRESS=" + path}, "progress", "--lang", "en")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if strings.ContainsAny(r.stdout, "\x1b\x07\u009b") {
		t.Errorf("raw control bytes reached the terminal:\n%q", r.stdout)
	}
	for _, want := range []string{`x\x1b]0;PWN\x07y`, `e\x1b[2J\u009b`, "udp-recv"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the output does not show %s:\n%s", want, r.stdout)
		}
	}
}
