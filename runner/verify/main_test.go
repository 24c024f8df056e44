package verify

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// bins holds every Go program the tests run, built once per test run: the
// reference solutions, the wrong solutions and the misbehaving programs.
// Running them with `go run` each time would cost a compile per check.
var bins string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if d := os.Getenv(binsVar); d != "" {
		bins = d // a child test process (see peakMemory): already built
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "sockstep-verify-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	// Readable by nobody, so that as root the programs run as nobody, the
	// isolation a grader gets (proc.IsolationNobody).
	os.Chmod(dir, 0o755)
	pkgs, _ := filepath.Glob("../../content/solutions/*")
	for _, pattern := range []string{"testdata/go/*", "testdata/misbehave/*", "testdata/hostile/*"} {
		m, _ := filepath.Glob(pattern)
		for _, p := range m {
			// (testdata/hostile/batch holds sources the tests build as
			// submissions, not programs.)
			if gos, _ := filepath.Glob(filepath.Join(p, "*.go")); len(gos) > 0 {
				pkgs = append(pkgs, "./"+p)
			}
		}
	}
	cmd := exec.Command("go", append([]string{"build", "-o", dir + "/"}, pkgs...)...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the test programs failed:", err)
		return 1
	}
	bins = dir
	buildC(dir)
	return m.Run()
}

// haveC reports whether the C programs in testdata/c were built.
var haveC bool

// buildC compiles testdata/c/*.c when a C compiler is installed, and puts
// each source beside its binary, as a learner's folder has it (verify
// recognises a C program by that source).
func buildC(dir string) {
	cc, err := exec.LookPath("cc")
	if err != nil {
		if cc, err = exec.LookPath("gcc"); err != nil {
			return
		}
	}
	srcs, _ := filepath.Glob("testdata/c/*.c")
	for _, src := range srcs {
		name := strings.TrimSuffix(filepath.Base(src), ".c")
		cmd := exec.Command(cc, "-O1", "-o", filepath.Join(dir, name), src)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "building", src, "failed:", err)
			return
		}
		data, err := os.ReadFile(src)
		if err != nil || os.WriteFile(filepath.Join(dir, name+".c"), data, 0o644) != nil {
			return
		}
	}
	haveC = len(srcs) > 0
}

// binsVar hands the folder of built programs to a child test process.
const binsVar = "SOCKSTEP_TEST_BINS"

// bin is the path of a prebuilt test program.
func bin(name string) string { return filepath.Join(bins, name) }
