package proc

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A child that leaves the process group with setsid is still killed, and
// the program's temporary directory (where go run builds) is removed.
func TestStopEscapedSessionAndTemp(t *testing.T) {
	if _, err := exec.LookPath("setsid"); err != nil {
		t.Skip("setsid is not installed: a child in a new session cannot be made")
	}
	dir, err := os.MkdirTemp("", "sockstep-proc-test-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o777) // the program may run as nobody
	pidFile := filepath.Join(dir, "pid")
	// The pid is read from /proc/self/stat, not $$: in the program's PID
	// namespace $$ is not the pid this test can signal (/proc is the
	// host's, so its "self" is).
	script := `setsid sh -c 'read pid rest < /proc/self/stat; echo $pid > "$1"; exec sleep 30' sh "$1" &
echo left > "$GOTMPDIR/build-file"
echo "$GOTMPDIR"
sleep 30`
	p, err := Start(Spec{Path: "sh", Args: []string{"-c", script, "sh", pidFile}})
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	for deadline := time.Now().Add(10 * time.Second); pid == 0; {
		if data, err := os.ReadFile(pidFile); err == nil && strings.HasSuffix(string(data), "\n") {
			pid, _ = strconv.Atoi(strings.TrimSpace(string(data)))
		}
		if time.Now().After(deadline) {
			p.Stop(100 * time.Millisecond)
			t.Fatalf("the setsid child never started; stderr %q", p.Stderr.Bytes())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if g, _ := syscall.Getpgid(pid); g == p.Pgid() {
		t.Fatalf("the child %d is still in the group %d: the test proves nothing", pid, g)
	}
	p.Stop(200 * time.Millisecond)

	for deadline := time.Now().Add(10 * time.Second); syscall.Kill(pid, 0) == nil; {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("the child %d that left the group is still alive after Stop", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
	tmp := strings.TrimSpace(string(p.Stdout.Bytes()))
	if tmp == "" || !strings.Contains(tmp, "sockstep-run-") {
		t.Fatalf("GOTMPDIR was %q, not a directory of the run's own", tmp)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("the run's temporary directory %s is still there (%v)", tmp, err)
	}
	groupGone(t, p.Pgid())
}
