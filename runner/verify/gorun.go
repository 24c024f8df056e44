package verify

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// A learner's `go run ./prog` compiles before it runs, and the compile
// must not eat the check's time: a cold build takes seconds, twenty or
// more where the program runs as another user with an empty build cache
// (as root, verify runs programs as nobody). verify therefore builds a
// `go run` command itself first, with the learner's own toolchain and
// cache, outside --timeout, and checks the binary. The build runs as the
// learner who asked for the check, on their own source, with cgo off and
// nothing fetched (GOTOOLCHAIN=local, GOPROXY=off); the program then runs
// isolated as any other.

// goRunBuildLimit bounds the build itself.
const goRunBuildLimit = 2 * time.Minute

// splitGoRun reports whether argv is `go run [build flags] PACKAGE|FILES
// [arguments]`, and returns what to build (the flags and the package or
// .go files) and the program's own arguments.
func splitGoRun(argv []string) (build, args []string, ok bool) {
	if len(argv) < 3 || filepath.Base(argv[0]) != "go" || argv[1] != "run" {
		return nil, nil, false
	}
	rest := argv[2:]
	i := 0
	for i < len(rest) && strings.HasPrefix(rest[i], "-") {
		if rest[i] == "-exec" || rest[i] == "--exec" {
			return nil, nil, false // another runner: leave it to go run
		}
		// Flags are written -flag=value here; a flag taking the next
		// word (-tags x) is read as such when the next word is no
		// package (go run's own rule: the first non-flag is the package).
		if !strings.Contains(rest[i], "=") && i+1 < len(rest) && takesValue(rest[i]) {
			i++
		}
		i++
	}
	if i == len(rest) {
		return nil, nil, false
	}
	if strings.HasSuffix(rest[i], ".go") {
		j := i
		for j < len(rest) && strings.HasSuffix(rest[j], ".go") {
			j++
		}
		return append(append([]string{}, rest[:i]...), rest[i:j]...), rest[j:], true
	}
	return append([]string{}, rest[:i+1]...), rest[i+1:], true
}

// takesValue reports whether a go build flag reads the next word.
func takesValue(flag string) bool {
	switch strings.TrimLeft(flag, "-") {
	case "C", "p", "asmflags", "buildmode", "buildvcs", "compiler", "gccgoflags", "gcflags",
		"installsuffix", "ldflags", "mod", "modfile", "overlay", "pgo", "pkgdir", "tags", "toolexec":
		return true
	}
	return false
}

// buildError is a `go run` program that did not compile: the compiler's
// first lines, escaped (buildLines).
type buildError struct{ lines []string }

func (e *buildError) Error() string {
	return "your Go program did not compile:\n" + strings.Join(e.lines, "\n")
}

// buildGoRun builds a `go run` command into a fresh folder and returns the
// command to check instead, and a function that removes the folder. For
// any other command it returns argv and a no-op.
func buildGoRun(ctx context.Context, argv []string, dir string) ([]string, func(), error) {
	build, args, ok := splitGoRun(argv)
	if !ok {
		return argv, func() {}, nil
	}
	out, err := os.MkdirTemp("", "sockstep-gorun-")
	if err != nil {
		return nil, func() {}, err
	}
	remove := func() { os.RemoveAll(out) }
	// Others may run the binary (verify runs programs as nobody as root),
	// none may change it.
	if err := os.Chmod(out, 0o755); err != nil {
		remove()
		return nil, func() {}, err
	}
	bin := filepath.Join(out, "prog")
	ctx, cancel := context.WithTimeout(ctx, goRunBuildLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], append([]string{"build", "-o", bin}, build...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOTOOLCHAIN=local", "GOPROXY=off")
	msg, err := cmd.CombinedOutput()
	if err != nil {
		remove()
		if ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled) {
			return nil, func() {}, ctx.Err()
		}
		return nil, func() {}, &buildError{lines: buildLines(string(msg))}
	}
	return append([]string{bin}, args...), remove, nil
}
