package proc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
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

// As root, a program is never run as uid 0, whoever may read its files.
// A script in a folder closed to others (as /root is) is copied where
// nobody can read it and runs as nobody: it cannot read a root-only file
// nor write a root-owned one, which root without capabilities could
// (owner bits apply to uid 0). A command found in PATH that nobody cannot
// run (python3 behind a pyenv shim under /root) is replaced by the
// same-named one of a system directory, and the result says so.
func TestIsolationNeverRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("as an ordinary user a user namespace is used")
	}
	dir := t.TempDir() // 0700, root's
	secret := filepath.Join(dir, "secret")
	os.WriteFile(secret, []byte("SECRET\n"), 0o600)
	owned := filepath.Join(dir, "owned")
	os.WriteFile(owned, []byte("root's\n"), 0o644)
	script := filepath.Join(dir, "prog.sh")
	// The paths are in the script, not its arguments: a file the command
	// line names is the learner's to hand over (it is copied).
	os.WriteFile(script, []byte("id -u; cat "+secret+"; echo pwned >> "+owned+"; echo done\n"), 0o700)

	t.Run("script", func(t *testing.T) {
		p, err := Start(Spec{Path: "/bin/sh", Args: []string{script}, Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		<-p.Done()
		r := p.Stop(100 * time.Millisecond)
		out := string(p.Stdout.Bytes())
		t.Logf("isolation %s, output %q, stderr %q", r.Isolation, out, p.Stderr.Bytes())
		if !strings.HasPrefix(out, "65534\n") || !strings.Contains(out, "done") {
			t.Errorf("the script's output %q: want it run as 65534 (nobody) to its end", out)
		}
		if strings.Contains(out, "SECRET") {
			t.Error("the program read a root-only file")
		}
		if data, _ := os.ReadFile(owned); strings.Contains(string(data), "pwned") {
			t.Error("the program wrote a root-owned file")
		}
	})

	t.Run("interpreter", func(t *testing.T) {
		// A "python3" in a folder closed to nobody, first in PATH.
		shims := filepath.Join(dir, "shims")
		os.Mkdir(shims, 0o755)
		os.WriteFile(filepath.Join(shims, "sh"), []byte("#!/bin/sh\nexec /bin/sh \"$@\"\n"), 0o755)
		t.Setenv("PATH", shims+":"+os.Getenv("PATH"))
		p, err := Start(Spec{Path: "sh", Args: []string{"-c", "id -u"}})
		if err != nil {
			t.Fatal(err)
		}
		<-p.Done()
		r := p.Stop(100 * time.Millisecond)
		if got := strings.TrimSpace(string(p.Stdout.Bytes())); got != "65534" {
			t.Errorf("ran as uid %q, want 65534; stderr %q", got, p.Stderr.Bytes())
		}
		if !strings.Contains(r.Substituted, filepath.Join(shims, "sh")) || !strings.Contains(r.Substituted, "/bin/sh") {
			t.Errorf("Substituted %q, want it to name %s and the system's sh", r.Substituted, filepath.Join(shims, "sh"))
		}
	})

	t.Run("refused", func(t *testing.T) {
		closed := filepath.Join(dir, "closed")
		os.Mkdir(closed, 0o700)
		os.WriteFile(filepath.Join(closed, "no-such-tool-xyz"), []byte("#!/bin/sh\nid -u\n"), 0o755)
		t.Setenv("PATH", closed+":"+os.Getenv("PATH"))
		p, err := Start(Spec{Path: "no-such-tool-xyz"})
		if err == nil {
			<-p.Done()
			p.Stop(100 * time.Millisecond)
			t.Fatalf("a program nobody cannot run was started, output %q", p.Stdout.Bytes())
		}
		if !errors.Is(err, ErrNoSafeUser) {
			t.Errorf("error %v, want ErrNoSafeUser", err)
		}
	})
}

// noSysAdminVar, in a child test process, says it runs without
// CAP_SYS_ADMIN (under capsh): as root in a container or a CI job.
const noSysAdminVar = "SOCKSTEP_PROC_NO_SYS_ADMIN"

// As root without CAP_SYS_ADMIN the kernel gives no namespace: programs
// still run as nobody, in a process group, so they can neither kill nor
// stop verify (kill(2): another uid needs CAP_KILL), and a double-forked
// daemon in a session of its own with an empty environment is killed as
// an orphan re-parented to verify (PR_SET_CHILD_SUBREAPER). The test runs
// itself again under capsh --drop=cap_sys_admin.
func TestIsolationWithoutSysAdmin(t *testing.T) {
	if os.Getenv(noSysAdminVar) != "" {
		hostileWithoutNamespaces(t)
		return
	}
	capsh, err := exec.LookPath("capsh")
	if os.Geteuid() != 0 {
		t.Skip("needs root (an ordinary user's programs run as the user)")
	}
	if err != nil {
		t.Fatal("capsh is not installed (apt-get install libcap2-bin): root without CAP_SYS_ADMIN cannot be simulated")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// (capsh runs its -c through /bin/bash; the test binary's path is
	// passed as an argument, not put into the command text.)
	cmd := exec.CommandContext(ctx, capsh, "--drop=cap_sys_admin", "--", "-c", `exec "$0" -test.run='^TestIsolationWithoutSysAdmin$' -test.v`, os.Args[0])
	cmd.Env = append(os.Environ(), noSysAdminVar+"=1", "SOCKSTEP_PROC_CHILD=1")
	out, err := cmd.CombinedOutput()
	t.Logf("without CAP_SYS_ADMIN:\n%s", out)
	if ctx.Err() != nil {
		t.Fatal("the test process without CAP_SYS_ADMIN hung: a program stopped it")
	}
	if err != nil {
		t.Fatalf("the test process without CAP_SYS_ADMIN failed: %v", err)
	}
}

func hostileWithoutNamespaces(t *testing.T) {
	const mark = "617.5"
	tests := []struct{ name, script string }{
		{"kill-parent", `kill -KILL $PPID; read _ _ _ gp _ < /proc/$PPID/stat; kill -KILL $gp; echo alive`},
		{"stop-parent", `kill -STOP $PPID; read _ _ _ gp _ < /proc/$PPID/stat; kill -STOP $gp; echo alive`},
		{"daemon", `setsid sh -c 'exec env -i sleep ` + mark + ` </dev/null >/dev/null 2>&1' & sleep 0.2; echo alive`},
		// Still running when stopped: SIGKILL ends the shim too, and the
		// daemon becomes verify's own orphan.
		{"daemon-then-hang", `trap "" TERM; setsid sh -c 'exec env -i sleep ` + mark + ` </dev/null >/dev/null 2>&1' & echo alive; sleep 30`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Start(Spec{Path: "/bin/sh", Args: []string{"-c", "id -u; " + tt.script}})
			if err != nil {
				t.Fatal(err)
			}
			select {
			case <-p.Done():
			case <-time.After(time.Second):
			}
			r := p.Stop(100 * time.Millisecond)
			out := strings.Fields(string(p.Stdout.Bytes()))
			t.Logf("isolation %s, output %q, stderr %q", r.Isolation, out, p.Stderr.Bytes())
			if r.Isolation != IsolationGroupNobody {
				t.Errorf("isolation %s, want %s", r.Isolation, IsolationGroupNobody)
			}
			if len(out) < 2 || out[0] != "65534" || out[1] != "alive" {
				t.Errorf("output %q, want the program run as 65534 (nobody) to its end", out)
			}
			for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
				left := withArg(mark)
				if len(left) == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Errorf("processes %v the program left outlived Stop", left)
					for _, pid := range left {
						syscall.Kill(pid, syscall.SIGKILL)
					}
					break
				}
			}
		})
	}
}

// withArg lists the processes with an argument equal to s.
func withArg(s string) []int {
	ents, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, _ := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		for _, a := range strings.Split(string(data), "\x00") {
			if a == s {
				out = append(out, pid)
			}
		}
	}
	return out
}
