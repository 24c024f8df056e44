package verify

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
	dir, err := os.MkdirTemp("", "sockstep-verify-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	pkgs, _ := filepath.Glob("../../content/solutions/*")
	for _, pattern := range []string{"testdata/go/*", "testdata/misbehave/*"} {
		m, _ := filepath.Glob(pattern)
		for _, p := range m {
			pkgs = append(pkgs, "./"+p)
		}
	}
	cmd := exec.Command("go", append([]string{"build", "-o", dir + "/"}, pkgs...)...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the test programs failed:", err)
		return 1
	}
	bins = dir
	return m.Run()
}

// bin is the path of a prebuilt test program.
func bin(name string) string { return filepath.Join(bins, name) }
