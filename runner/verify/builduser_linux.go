package verify

import (
	"os/exec"
	"syscall"
)

// asUser makes cmd (set up by killedAsGroup) run as uid and gid, with no
// supplementary group, and die with verify; -1 keeps verify's own user.
func asUser(cmd *exec.Cmd, uid, gid int) {
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	if uid >= 0 {
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}
	}
}
