package proc

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The program runs where it cannot signal the test process: in a PID
// namespace of its own, as nobody under root, or in a user namespace as
// an ordinary user (TestIsolationUnprivileged runs this test as nobody).
func TestIsolation(t *testing.T) {
	self, _ := os.Readlink("/proc/self/ns/pid")
	script := `readlink /proc/self/ns/pid; id -u; kill -KILL $PPID; kill -STOP $PPID; echo alive`
	p, err := Start(Spec{Path: "/bin/sh", Args: []string{"-c", script}})
	if err != nil {
		t.Fatal(err)
	}
	<-p.Done()
	r := p.Stop(100 * time.Millisecond)
	out := strings.Fields(string(p.Stdout.Bytes()))
	t.Logf("euid %d: isolation %s, program's namespace %v, stderr %q", os.Geteuid(), r.Isolation, out, p.Stderr.Bytes())
	want := IsolationUserNS
	if os.Geteuid() == 0 {
		want = IsolationNobody
	}
	if r.Isolation != want {
		if r.Isolation == IsolationGroup && os.Geteuid() != 0 {
			t.Skipf("the kernel refused a user namespace to an ordinary user: %s", r.Isolation)
		}
		t.Fatalf("isolation %s, want %s", r.Isolation, want)
	}
	if len(out) != 3 || out[2] != "alive" {
		t.Fatalf("the program's output %q, want its namespace, uid and alive", out)
	}
	if out[0] == self {
		t.Errorf("the program shares the test's PID namespace %s", self)
	}
	if want == IsolationNobody && out[1] != "65534" {
		t.Errorf("the program ran as uid %s, want 65534 (nobody)", out[1])
	}
}

// TestIsolation again, as an ordinary user (nobody), through setpriv: the
// test binary is copied where nobody can run it.
func TestIsolationUnprivileged(t *testing.T) {
	if os.Getenv("SOCKSTEP_PROC_CHILD") != "" {
		t.Skip("already the child")
	}
	setpriv, err := exec.LookPath("setpriv")
	if os.Geteuid() != 0 || err != nil {
		t.Skip("needs root and setpriv to become an ordinary user")
	}
	dir, err := os.MkdirTemp("", "sockstep-proc-test-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	data, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "proc.test")
	if err := os.WriteFile(exe, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(setpriv, "--reuid", "65534", "--regid", "65534", "--clear-groups", exe, "-test.run=^TestIsolation$", "-test.v")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SOCKSTEP_PROC_CHILD=1", "TMPDIR=/tmp", "HOME=/tmp")
	out, err := cmd.CombinedOutput()
	t.Logf("as nobody:\n%s", out)
	if err != nil {
		t.Fatalf("TestIsolation failed as an ordinary user: %v", err)
	}
}
