// Leaves a daemon behind: sh forks a child that starts a new session
// (setsid) and execs sleep with an empty environment, so neither the
// process group nor an inherited environment variable finds it. The
// sleep's argument, 617.25 seconds, marks it for the test.
package main

import (
	"os"
	"os/exec"
)

func main() {
	cmd := exec.Command("/bin/sh", "-c", "setsid sleep 617.25 </dev/null >/dev/null 2>&1 &")
	cmd.Env = []string{}
	if err := cmd.Run(); err != nil {
		os.Exit(1)
	}
}
