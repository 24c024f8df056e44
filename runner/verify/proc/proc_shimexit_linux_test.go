package proc

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// A program under the shim that exited by itself is not reported as
// stopped when Stop comes while the shim, the process verify watches, is
// still on its way out: the shim has written the program's status, and
// Stop reads it before it signals anything. The stand-in shim here writes
// "exited with status 3" and lingers 300 ms, a window that a loaded
// machine opens for a few milliseconds (seen once under the race detector
// in CI: a server that had exited was said to be stopped).
func TestStopAfterTheShimReported(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/bin/sh", "-c", `printf '\000\003\000\000' >&3; sleep 0.3`)
	cmd.ExtraFiles = []*os.File{w}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p := &Process{
		Stdout: NewCapBuffer(0),
		Stderr: NewCapBuffer(0),
		exited: make(chan struct{}),
		uid:    -1,
		tmp:    t.TempDir(),
		status: r,
	}
	cmd.Stdout, cmd.Stderr = p.Stdout, p.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	p.cmd, p.pgid, p.started = cmd, cmd.Process.Pid, time.Now()
	go p.watch()
	deadline := time.Now().Add(10 * time.Second)
	for !p.programEnded() {
		if time.Now().After(deadline) {
			t.Fatal("the stand-in shim never reported")
		}
	}
	if p.HasExited() {
		t.Fatal("the stand-in shim exited before Stop: the window was not opened")
	}
	res := p.Stop(time.Second)
	if res.Stopped || res.Code != 3 || res.Signal != "" {
		t.Errorf("Stop = %+v, want the program's own exit 3, not stopped", res)
	}
}
