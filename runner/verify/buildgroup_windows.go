package verify

import "os/exec"

// killedAsGroup: Windows has no process groups to kill; verify does not
// run there (the command line says it needs a Linux or macOS kernel).
func killedAsGroup(cmd *exec.Cmd) {}
