package verify

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockstep/sockstep/runner/verify/proc"
)

// unisolatedVar marks the child test process of TestParentGroupUnisolated.
const unisolatedVar = "SOCKSTEP_TEST_UNISOLATED"

// TestParentGroupUnisolated runs parent-group where the fix for it is
// needed: as an ordinary user with SOCKSTEP_ISOLATION=off (or where the
// kernel refuses namespaces), verify starts the program itself, in a
// process group of its own, with no shim in between; the program moves
// into its parent's group, which is verify's, and the signal verify sends
// to the program's group finds nobody (kill(2): ESRCH). (As root, or in a
// namespace, the shim is the parent and shares the program's group, so
// TestHostilePrograms/parent-group cannot see this.) verify must reach
// the leader by its pid: the program ends by verify's SIGTERM, verify
// returns within the time limit and a bound, and nothing is left running.
// The check runs in a child test process as nobody, through setpriv.
func TestParentGroupUnisolated(t *testing.T) {
	if os.Getenv(unisolatedVar) != "" {
		runUnisolated(t)
		return
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Fatal("setpriv is not installed (util-linux): an ordinary user cannot be simulated")
	}
	if os.Geteuid() != 0 {
		// Already an ordinary user: the check runs here, in this process.
		t.Setenv("SOCKSTEP_ISOLATION", "off")
		runUnisolated(t)
		return
	}
	// Not t.TempDir, whose parent is closed to others (0700): a folder
	// of its own in /tmp that nobody may enter.
	dir, err := os.MkdirTemp("", "sockstep-verify-test-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	data, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "verify.test")
	if err := os.WriteFile(exe, data, 0o755); err != nil {
		t.Fatal(err)
	}
	// Bounded: were the program's pid never signalled and the wait after
	// SIGKILL unbounded, the child would hang here.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, setpriv, "--reuid", "65534", "--regid", "65534", "--clear-groups",
		exe, "-test.run=^TestParentGroupUnisolated$", "-test.v")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), unisolatedVar+"=1", binsVar+"="+bins, "SOCKSTEP_ISOLATION=off", "TMPDIR=/tmp", "HOME=/tmp")
	out, err := cmd.CombinedOutput()
	t.Logf("as nobody, SOCKSTEP_ISOLATION=off:\n%s", out)
	if ctx.Err() != nil {
		t.Fatal("verify hung on a program that moved into its parent's process group")
	}
	if err != nil {
		t.Fatalf("the child test process failed: %v", err)
	}
	if !strings.Contains(string(out), "isolation "+string(proc.IsolationGroup)) {
		t.Errorf("the program did not run with isolation %s", proc.IsolationGroup)
	}
}

func runUnisolated(t *testing.T) {
	const limit = time.Second
	start := time.Now()
	r := check(t, "udp-send", []string{bin("parent-group")}, limit)
	took := time.Since(start)
	ex := r.Obs.Exit
	t.Logf("isolation %s; verify took %v with a time limit of %v; the program ended by %q (SIGKILL needed: %v)",
		ex.Isolation, took, limit, ex.Signal, ex.NeededKill)
	if ex.Isolation != proc.IsolationGroup {
		t.Fatalf("isolation %s, want %s: the case this test is for did not arise", ex.Isolation, proc.IsolationGroup)
	}
	if took > limit+hangBound {
		t.Errorf("the check took %v with a %v time limit", took, limit)
	}
	if r.Passed {
		t.Error("a hostile program passed")
	}
	// The program left its group before verify's SIGTERM: only a signal
	// to its pid could end it (a Go program dies of SIGTERM).
	if ex.Signal != syscall.SIGTERM.String() || ex.NeededKill {
		t.Errorf("the program ended by %q (SIGKILL needed: %v), want verify's SIGTERM, sent to its pid", ex.Signal, ex.NeededKill)
	}
	if err := syscall.Kill(r.Obs.Pgid, 0); err == nil {
		t.Errorf("the program (pid %d) is still alive", r.Obs.Pgid)
		syscall.Kill(r.Obs.Pgid, syscall.SIGKILL)
	}
}
