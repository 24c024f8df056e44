//go:build !linux

package verify

import "os/exec"

// asUser: elsewhere builds run as the user's own (proc.Unprivileged is -1).
func asUser(cmd *exec.Cmd, uid, gid int) {}
