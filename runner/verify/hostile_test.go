//go:build !windows

package verify

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner/verify/proc"
)

// floodEnv, in a child test process, names the flood that process runs.
const floodEnv = "SOCKSTEP_TEST_FLOOD"

// floods are hostile programs that send far more than any verdict needs.
var floods = []struct {
	name, exercise, program string
}{
	{"1 GB after a correct exchange", "tcp-client", "flood-after-reply"},
	{"100 MB from a server", "tcp-server", "flood-server"},
	{"60 KB datagrams for 2 s", "udp-send", "flood-datagrams"},
}

const floodTimeout = 5 * time.Second

// maxPeak is the most memory verify may use under a flood (VmHWM, the
// peak resident size of the whole test process).
const maxPeak = 100 << 20

// Each flood runs in a child test process of its own, so that the peak
// resident size it reports is the flood's alone. The wall time is logged,
// not asserted (a loaded machine is slower); it should stay within the
// time limit plus one second.
func TestFloodMemory(t *testing.T) {
	if name := os.Getenv(floodEnv); name != "" {
		runFlood(t, name)
		return
	}
	for _, f := range floods {
		t.Run(f.program, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestFloodMemory$", "-test.v")
			cmd.Env = append(os.Environ(), floodEnv+"="+f.program, binsVar+"="+bins)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("the child test failed: %v\n%s", err, out)
			}
			var peak int64
			var wallMS int64
			var passed, hints string
			sc := bufio.NewScanner(bytes.NewReader(out))
			for sc.Scan() {
				if _, v, ok := strings.Cut(sc.Text(), "FLOOD "); ok {
					fmt.Sscanf(v, "peak=%d wall_ms=%d passed=%s hints=%s", &peak, &wallMS, &passed, &hints)
				}
			}
			if peak == 0 {
				t.Fatalf("the child test reported no figures:\n%s", out)
			}
			t.Logf("%s (%s): verify's peak memory %.1f MB, wall time %v with --timeout %v, passed=%s",
				f.name, f.exercise, float64(peak)/(1<<20), time.Duration(wallMS)*time.Millisecond, floodTimeout, passed)
			if peak > maxPeak {
				t.Errorf("peak memory %d MB, want at most %d MB", peak>>20, maxPeak>>20)
			}
			if passed != "false" {
				t.Errorf("a flooding program passed")
			}
			if !strings.Contains(hints, "verify.hint.flooded") {
				t.Errorf("hints %s, want verify.hint.flooded", hints)
			}
		})
	}
}

func runFlood(t *testing.T, name string) {
	for _, f := range floods {
		if f.program != name {
			continue
		}
		start := time.Now()
		r, err := Run(context.Background(), f.exercise, []string{bin(f.program)}, Options{Timeout: floodTimeout})
		if err != nil {
			t.Fatal(err)
		}
		// The report is part of the cost: a difference on a megabyte of
		// text must not be expensive to show.
		cat := content.Text(content.English)
		var out bytes.Buffer
		writeReport(&out, cat, style{}, r)
		_ = rowFor(cat, f.program, r)
		wall := time.Since(start)
		if out.Len() > 64<<10 {
			t.Errorf("the report is %d bytes long", out.Len())
		}
		// Printed with fmt, not t.Log, so the parent reads one plain line.
		fmt.Printf("FLOOD peak=%d wall_ms=%d passed=%v hints=%s\n", peakRSS(t), wall.Milliseconds(), r.Passed, strings.Join(hintKeys(r), ","))
		return
	}
	t.Fatalf("no flood named %q", name)
}

// peakRSS reads the process's peak resident set size (VmHWM) in bytes.
func peakRSS(t *testing.T) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("cannot read the peak memory: %v", err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	t.Skip("no VmHWM in /proc/self/status")
	return 0
}

// hangBound detects a hang: a hostile program that sleeps ten minutes
// must not hold verify anywhere near that long. It is not a timing
// assertion (the time limit is one second; the bound is thirty).
const hangBound = 30 * time.Second

// Hostile programs that try to outlive, escape or stop the check. Each
// must fail, be gone afterwards, and not hold verify past its time limit.
func TestHostilePrograms(t *testing.T) {
	tests := []struct {
		program  string
		exercise string
		marker   string // a process whose command line holds this must not survive
		isolated bool   // only safe to run where the program cannot signal verify
	}{
		{program: "parent-group", exercise: "udp-send"},
		{program: "kill-parent", exercise: "udp-send", isolated: true},
		{program: "stop-parent", exercise: "udp-send", isolated: true},
		{program: "daemon", exercise: "udp-send", marker: "617.25"},
	}
	probe := check(t, "udp-send", []string{bin("hang")}, 50*time.Millisecond)
	iso := probe.Obs.Exit.Isolation
	t.Logf("as uid %d, programs run with isolation %s", os.Geteuid(), iso)
	// (In a process group only where the kernel gives no namespace, as
	// for root without CAP_SYS_ADMIN; never as root.)
	if os.Geteuid() == 0 && iso != proc.IsolationNobody && iso != proc.IsolationGroupNobody {
		t.Errorf("as root, isolation %s, want %s", iso, proc.IsolationNobody)
	}
	for _, tt := range tests {
		t.Run(tt.program, func(t *testing.T) {
			if tt.isolated && iso == proc.IsolationGroup {
				t.Skipf("the program could kill this test: isolation is %s", iso)
			}
			start := time.Now()
			r := check(t, tt.exercise, []string{bin(tt.program)}, time.Second)
			if took := time.Since(start); took > hangBound {
				t.Errorf("the check took %v with a 1 s time limit", took)
			}
			if r.Passed {
				t.Error("a hostile program passed")
			}
			if err := syscall.Kill(r.Obs.Pgid, 0); err == nil {
				t.Errorf("the program (pid %d) is still alive", r.Obs.Pgid)
				syscall.Kill(r.Obs.Pgid, syscall.SIGKILL)
			}
			if tt.marker != "" {
				if pids := withCmdline(tt.marker); len(pids) > 0 {
					t.Errorf("processes %v started by the program outlived the check", pids)
					for _, pid := range pids {
						syscall.Kill(pid, syscall.SIGKILL)
					}
				}
			}
		})
	}
}

// As root without CAP_SYS_ADMIN (a container, a CI job: no namespace),
// TestHostilePrograms again, in a child test process under capsh: the
// programs run as nobody in a process group, so the ones that kill or
// stop their parent's parent run too, and must leave the check whole.
func TestHostileProgramsWithoutSysAdmin(t *testing.T) {
	if os.Getenv(noSysAdminVar) != "" {
		t.Skip("already the child")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root (an ordinary user's programs run as the user)")
	}
	capsh, err := exec.LookPath("capsh")
	if err != nil {
		t.Fatal("capsh is not installed (apt-get install libcap2-bin): root without CAP_SYS_ADMIN cannot be simulated")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, capsh, "--drop=cap_sys_admin", "--", "-c", `exec "$0" -test.run='^TestHostilePrograms$' -test.v`, os.Args[0])
	cmd.Env = append(os.Environ(), noSysAdminVar+"=1", binsVar+"="+bins)
	out, err := cmd.CombinedOutput()
	t.Logf("without CAP_SYS_ADMIN:\n%s", out)
	if ctx.Err() != nil {
		t.Fatal("the test process without CAP_SYS_ADMIN hung: a program stopped it")
	}
	if err != nil {
		t.Fatalf("the test process without CAP_SYS_ADMIN failed: %v", err)
	}
	if !strings.Contains(string(out), string(proc.IsolationGroupNobody)) {
		t.Errorf("the programs did not run with isolation %s", proc.IsolationGroupNobody)
	}
}

// noSysAdminVar marks the child test process run without CAP_SYS_ADMIN.
const noSysAdminVar = "SOCKSTEP_TEST_NO_SYS_ADMIN"

// withCmdline lists the processes whose command line contains s.
func withCmdline(s string) []int {
	ents, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err == nil && bytes.Contains(data, []byte(s)) {
			out = append(out, pid)
		}
	}
	return out
}
