package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sockstep/sockstep/runner/verify/proc"
)

// submission is one entry of a batch folder and how to run it.
type submission struct {
	name string
	path string
	kind string   // "python", "go-file", "go-dir", "exec" or "" (unsupported)
	argv []string // set by prepare
	dir  string   // working directory of the program
	// outside is where a symbolic link that leaves the folder points: such
	// a submission is refused, so that a link to /etc/shadow cannot put the
	// file's lines into the report as its "error output".
	outside string
	// hardLink is a file of the submission that has other names (hard
	// links, st_nlink > 1), and links how many: refused too. Root can
	// link any file into the folder (ln /etc/shadow x.py), and a file
	// nobody cannot read is copied for it (proc.forUser), so its lines
	// would reach the report like a symbolic link's.
	hardLink string
	links    uint64
}

// buildTimeout bounds one `go build`; a cold build cache takes seconds.
const buildTimeout = 2 * time.Minute

// findSubmissions lists the entries of dir, sorted by name. Hidden entries
// (".git", editor files) are skipped.
func findSubmissions(dir string) ([]submission, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, err
	}
	if root, err = filepath.Abs(root); err != nil {
		return nil, err
	}
	var out []submission
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		s := submission{name: e.Name(), path: p, dir: dir}
		if s.outside = leaves(root, p); s.outside == "" {
			if os.Geteuid() == 0 {
				// Only root's programs run as another user (nobody), for
				// whom a file it cannot read is copied: an ordinary user's
				// run as that user and read what it can read anyway.
				s.hardLink, s.links = hardLinked(p)
			}
			if s.hardLink == "" {
				s.kind = kindOf(p)
			}
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// leaves returns where p leads when p, or a Go file in the folder p, is a
// symbolic link that leads out of root (a link that cannot be resolved is
// said to lead out too); "" when everything stays inside.
func leaves(root, p string) string {
	paths := []string{p}
	if info, err := os.Lstat(p); err == nil && info.IsDir() {
		m, _ := filepath.Glob(filepath.Join(p, "*"))
		paths = append(paths, m...)
	}
	for _, q := range paths {
		info, err := os.Lstat(q)
		if err != nil || info.Mode()&os.ModeSymlink == 0 {
			continue
		}
		target, err := filepath.EvalSymlinks(q)
		if err != nil {
			return q
		}
		if target, err = filepath.Abs(target); err != nil {
			return q
		}
		if rel, err := filepath.Rel(root, target); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return target
		}
	}
	return ""
}

// maxWalk bounds the entries hardLinked looks at in a submission folder.
const maxWalk = 10000

// hardLinked returns a regular file of submission p (p itself, or any
// file in the folder p, at any depth: go:embed reads subfolders) that has
// more than one name, and how many it has; "" when there is none. A
// folder with more entries than maxWalk is said to be p itself, with 0
// names: it is refused unread rather than half-checked.
func hardLinked(p string) (string, uint64) {
	info, err := os.Lstat(p)
	if err != nil {
		return "", 0
	}
	if !info.IsDir() {
		if info.Mode().IsRegular() && nlink(info) > 1 {
			return p, nlink(info)
		}
		return "", 0
	}
	var found string
	var links uint64
	seen := 0
	filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if seen++; seen > maxWalk {
			found, links = p, 0
			return filepath.SkipAll
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if fi, err := d.Info(); err == nil && nlink(fi) > 1 {
			found, links = q, nlink(fi)
			return filepath.SkipAll
		}
		return nil
	})
	return found, links
}

// kindOf says how a submission is run: by its extension, or a folder of Go
// files, or any executable file. Anything that is not a regular file or a
// folder (a FIFO, a socket, a device) is unsupported at once: opening a
// FIFO blocks until someone writes to it, which would hold the batch for
// the whole build timeout.
func kindOf(p string) string {
	info, err := os.Stat(p)
	if err != nil {
		return ""
	}
	switch {
	case info.IsDir():
		if files, _ := goFiles(p); len(files) > 0 {
			return "go-dir"
		}
		return ""
	case !info.Mode().IsRegular():
		return ""
	case strings.HasSuffix(p, ".py"):
		return "python"
	case strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go"):
		return "go-file"
	case info.Mode().Perm()&0o111 != 0:
		return "exec"
	}
	return ""
}

// goFiles lists the regular .go files of dir (not tests), by name.
func goFiles(dir string) ([]string, error) {
	m, err := filepath.Glob(filepath.Join(dir, "*.go"))
	var out []string
	for _, f := range m {
		if info, err := os.Stat(f); err != nil || !info.Mode().IsRegular() {
			continue
		}
		if !strings.HasSuffix(f, "_test.go") {
			out = append(out, filepath.Base(f))
		}
	}
	return out, err
}

// errBuild is a submission that does not compile; its text is the
// compiler's message.
type errBuild struct{ msg string }

func (e *errBuild) Error() string { return e.msg }

// prepare makes the command line of a submission, building Go code once
// into tmp. The submission is first copied into tmp (regular files and
// folders only, bounded: proc.CopyTree), readable by everyone and owned by
// verify, so that the program can run as an unprivileged user even when
// the batch folder is closed to others (under /root), and no program can
// change another's files. Go code is built there as that user too
// (goBuild).
func (s *submission) prepare(ctx context.Context, tmp string) error {
	work, err := os.MkdirTemp(tmp, "sub-")
	if err != nil {
		return err
	}
	_ = os.Chmod(work, 0o755) // the program may run as nobody
	abs := filepath.Join(work, filepath.Base(s.path))
	if err := proc.CopyTree(s.path, abs, -1, -1); err != nil {
		return fmt.Errorf("could not copy %s: %w", s.name, err)
	}
	switch s.kind {
	case "python":
		// proc.Start replaces a python3 that the program's user cannot
		// run (a pyenv shim under /root) by the system's.
		s.argv = []string{"python3", abs}
		s.dir = work
	case "exec":
		s.argv = []string{abs}
		s.dir = work
	case "go-file", "go-dir":
		uid, gid := proc.Unprivileged()
		out, err := os.MkdirTemp(tmp, "build-")
		if err != nil {
			return err
		}
		_ = os.Chmod(out, 0o755) // the program may run as nobody
		if uid >= 0 {
			if err := os.Chown(out, uid, gid); err != nil {
				return err
			}
		}
		bin := filepath.Join(out, "prog")
		args := []string{"build", "-o", bin}
		dir := work
		if s.kind == "go-file" {
			args = append(args, filepath.Base(abs))
		} else {
			dir = abs
			if _, err := os.Stat(filepath.Join(abs, "go.mod")); err == nil {
				args = append(args, ".")
			} else {
				files, _ := goFiles(abs)
				args = append(args, files...)
			}
		}
		cache, err := buildCache(tmp, uid, gid)
		if err != nil {
			return err
		}
		if err := goBuild(ctx, dir, out, cache, args, uid, gid); err != nil {
			return err
		}
		// The binary is verify's once built: a program running as the
		// builder's user must not be able to replace another's.
		if uid >= 0 {
			if err := os.Lchown(bin, 0, 0); err != nil {
				return err
			}
			if err := os.Lchown(out, 0, 0); err != nil {
				return err
			}
		}
		s.argv = []string{bin}
		s.dir = dir
	}
	return nil
}

// buildCache makes the batch's Go build cache, tmp/gocache, owned by the
// user the builds run as (the builds share it: the standard library is
// compiled once per batch).
func buildCache(tmp string, uid, gid int) (string, error) {
	cache := filepath.Join(tmp, "gocache")
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", err
	}
	if uid >= 0 {
		if err := os.Chown(cache, uid, gid); err != nil {
			return "", err
		}
	}
	return cache, nil
}

// buildEnv is the environment of `go build` for a submission: nothing may
// be fetched. GOTOOLCHAIN=local keeps the installed toolchain whatever a
// go.mod's "toolchain" or "go" line asks for (it would download another);
// GOPROXY=off refuses every module download, so a submission that imports
// anything outside the standard library and its own folder fails to build
// with the go command's message. -mod is left to its default (readonly, or
// vendor when the folder vendors): -mod=mod would let the build rewrite the
// learner's go.mod. GOWORK=off ignores a go.work above the folder;
// -buildvcs=false keeps git out of it. CGO_ENABLED=0: with cgo a
// submission's C preamble runs the C compiler and assembler, which can
// embed any file the builder may read into the binary
// (`__asm__(".incbin \"/etc/shadow\"")`) and so into its output; the
// exercises need no C. GOENV=off ignores the builder's go env file.
func buildEnv() []string {
	env := make([]string, 0, len(os.Environ())+8)
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "GOTOOLCHAIN", "GOPROXY", "GOFLAGS", "GOWORK", "CGO_ENABLED", "GOENV",
			"GOCACHE", "GOTMPDIR", "HOME", "GOPATH", "GOMODCACHE", "CC", "CGO_CFLAGS", "CGO_LDFLAGS":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "GOTOOLCHAIN=local", "GOPROXY=off", "GOWORK=off", "GOFLAGS=-buildvcs=false", "CGO_ENABLED=0", "GOENV=off")
}

// goBuild runs go build in dir as uid and gid (-1: verify's own). Its
// work files go under tmp (GOTMPDIR, which is also HOME, so the module
// cache is there too), its cache is cache; the batch removes both. It
// runs in a process group of its own, killed whole (the compiler and
// linker with it) when ctx is cancelled or the build takes too long.
func goBuild(ctx context.Context, dir, tmp, cache string, args []string, uid, gid int) error {
	ctx, cancel := context.WithTimeout(ctx, buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(buildEnv(), "GOTMPDIR="+tmp, "HOME="+tmp, "GOCACHE="+cache)
	killedAsGroup(cmd) // buildgroup_unix.go
	asUser(cmd, uid, gid)
	cmd.WaitDelay = 2 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// Started as one of verify's known children: the orphan sweep of a
	// program's Stop leaves it alone (proc.StartChild).
	err := proc.StartChild(cmd)
	if err == nil {
		err = cmd.Wait()
		proc.ChildDone(cmd)
	}
	if err != nil {
		if ctx.Err() != nil { // killed: what it printed is not the reason
			return fmt.Errorf("go build was stopped: %w", ctx.Err())
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return &errBuild{msg: strings.TrimSpace(out.String())}
		}
		return fmt.Errorf("go build could not run: %w", err)
	}
	return nil
}
