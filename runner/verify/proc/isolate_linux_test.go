package proc

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The program runs where it cannot signal the test process: in a PID
// namespace of its own, as nobody under root, or in a user namespace as
// an ordinary user (TestIsolationUnprivileged runs this test as nobody).
func TestIsolation(t *testing.T) {
	self, _ := os.Readlink("/proc/self/ns/pid")
	script := `readlink /proc/self/ns/pid; id -u; kill -KILL $PPID; kill -STOP $PPID; echo alive; grep -E "^(CapBnd|CapEff|NoNewPrivs):" /proc/self/status | tr -d '\t'; echo oom:$(cat /proc/self/oom_score_adj); awk '/^Max processes/ {print "nproc:" $3}' /proc/self/limits`
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
	if len(out) < 3 || out[2] != "alive" {
		t.Fatalf("the program's output %q, want its namespace, uid and alive", out)
	}
	wantStatus := []string{"CapEff:0000000000000000", "NoNewPrivs:1"}
	if want == IsolationNobody {
		wantStatus = append(wantStatus, "CapBnd:0000000000000000")
	}
	wantStatus = append(wantStatus, "oom:1000")
	if want == IsolationNobody {
		wantStatus = append(wantStatus, fmt.Sprintf("nproc:%d", nprocLimit))
	}
	for _, f := range wantStatus {
		if !slices.Contains(out, f) {
			t.Errorf("the program's status lacks %s: %q", f, out[3:])
		}
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

// As root, a program whose files nobody cannot read (a script in a
// directory closed to others, as /root is) runs as uid 0 without any
// capability: it can read its files, but cannot signal verify, enter
// another namespace or override file permissions.
func TestIsolationRootWithoutCapabilities(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("as an ordinary user a user namespace is used")
	}
	dir := t.TempDir() // 0700, root's
	script := filepath.Join(dir, "prog.sh")
	os.WriteFile(script, []byte("id -u; grep -E '^(CapBnd|CapEff|NoNewPrivs):' /proc/self/status | tr -d '\\t'\n"), 0o700)
	p, err := Start(Spec{Path: "/bin/sh", Args: []string{script}})
	if err != nil {
		t.Fatal(err)
	}
	<-p.Done()
	r := p.Stop(100 * time.Millisecond)
	out := strings.Fields(string(p.Stdout.Bytes()))
	if r.Isolation != IsolationNoCaps {
		t.Fatalf("isolation %s, want %s; output %q, stderr %q", r.Isolation, IsolationNoCaps, out, p.Stderr.Bytes())
	}
	want := []string{"0", "CapEff:0000000000000000", "CapBnd:0000000000000000", "NoNewPrivs:1"}
	for _, w := range want {
		if !slices.Contains(out, w) {
			t.Errorf("the program's output %q lacks %s", out, w)
		}
	}
}
