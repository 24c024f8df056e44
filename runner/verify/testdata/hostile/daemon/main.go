// Leaves a daemon behind: sh forks a child that starts a new session
// (setsid) and execs sleep with an empty environment, so neither the
// process group nor an inherited environment variable finds it. The
// sleep's argument, 617.25 seconds, marks it for the test; the program
// exits once the daemon runs.
package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

func main() {
	cmd := exec.Command("/bin/sh", "-c", "setsid sleep 617.25 </dev/null >/dev/null 2>&1 &")
	cmd.Env = []string{}
	if err := cmd.Run(); err != nil {
		os.Exit(1)
	}
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		m, _ := filepath.Glob("/proc/[0-9]*/cmdline")
		for _, f := range m {
			if data, _ := os.ReadFile(f); bytes.Contains(data, []byte("617.25")) {
				return
			}
		}
	}
}
