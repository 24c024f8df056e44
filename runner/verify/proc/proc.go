// Package proc runs a learner's program so that nothing it does can outlive
// or outgrow the check, or touch verify: it gets its own process group, its
// output is capped, and stopping it means SIGTERM to the whole group and
// its leader, a short grace, then SIGKILL, before the leader is reaped. On
// Linux it runs in a PID namespace of its own (as nobody under root, in a
// user namespace as an ordinary user: see isolate_linux.go), so it cannot
// signal verify and every process it started dies with the namespace.
// Without namespaces, a descendant that left the group (setsid, a daemon)
// is found by a token in its environment and killed too. The program's
// temporary files (go run's build directory) go in a directory of its own
// that is removed at the end.
package proc

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// Spec says what to run.
type Spec struct {
	Path      string   // program to run (looked up in PATH when it has no slash)
	Args      []string // arguments after the program name
	Dir       string   // working directory; "" for the current one
	Env       []string // environment; nil for verify's own
	Stdin     []byte   // fed to the program's standard input, then closed; nil for /dev/null
	OutputCap int      // bytes kept of stdout and of stderr; 0 for DefaultCap
}

// Result is how the program ended.
type Result struct {
	Code       int           // exit status; -1 when a signal ended it
	Signal     string        // the signal that ended it, if any
	Stopped    bool          // verify had to stop it (it had not exited by itself)
	NeededKill bool          // SIGTERM was not enough and SIGKILL was sent
	Runtime    time.Duration // from start until it exited or was killed
	Isolation  Isolation     // how it was kept apart from verify
	// Substituted names the interpreter used instead of the command's own
	// ("FROM → TO") when nobody could not run the command's (python3
	// behind a pyenv shim under /root); "" when none was.
	Substituted string
}

// Exited reports whether the program ended by itself.
func (r Result) Exited() bool { return !r.Stopped }

// Process is a started program.
type Process struct {
	Stdout, Stderr *CapBuffer

	cmd      *exec.Cmd
	pgid     int
	token    string // RunTokenVar's value in the program's environment
	tmp      string // the program's TMPDIR and GOTMPDIR, removed by Stop
	started  time.Time
	exited   chan struct{} // closed once the leader has exited (not yet reaped)
	exitedAt time.Time

	iso         Isolation
	substituted string   // an interpreter replaced for nobody: "FROM → TO"
	uid         int      // the program's uid; -1 for verify's own
	status      *os.File // read end of the shim's status pipe; nil without a shim
	statusRead  bool     // the shim's report of the program's end was read:
	statusWord  uint32   // its wait status

	stopOnce sync.Once
	result   Result
	//lint:ignore U1000 read by wait_other.go, on systems other than Linux
	waitErr error // cmd.Wait's result where waitExit reaps at once (not Linux)
}

// RunTokenVar names the environment variable that marks every process of
// one run, so that one that left the process group can still be found.
const RunTokenVar = "SOCKSTEP_VERIFY_RUN"

// waitDelay bounds how long reaping waits for output pipes that a program
// that escaped its group still holds open.
const waitDelay = time.Second

// killWait bounds how long Stop waits for a program to die after SIGKILL.
const killWait = 2 * time.Second

// signal sends sig to the program's group and to the leader by its pid: a
// leader that moved into another group (setpgid to its parent's) is not
// reached by the group's signal. The leader is not reaped before Stop
// reaps it, so its pid cannot have been reused.
func (p *Process) signal(sig syscall.Signal) {
	_ = killGroup(p.pgid, sig)
	_ = killPid(p.pgid, sig)
}

// Start runs the program in a new process group.
func Start(s Spec) (*Process, error) {
	path := s.Path
	if !bytes.ContainsRune([]byte(path), os.PathSeparator) {
		lp, err := exec.LookPath(path)
		if err != nil {
			return nil, fmt.Errorf("the command %q was not found: %w", s.Path, err)
		}
		path = lp
	}
	p := &Process{
		Stdout: NewCapBuffer(s.OutputCap),
		Stderr: NewCapBuffer(s.OutputCap),
		exited: make(chan struct{}),
	}
	pl := choose()
	if pl.uid >= 0 {
		pl.uid = acquireUID()
	}
	tmp, err := runDir(pl.uid, pl.gid)
	if err != nil {
		releaseOwn(pl)
		return nil, fmt.Errorf("could not make a temporary directory for %q: %w", s.Path, err)
	}
	p.tmp = tmp
	p.token = filepath.Base(tmp) // its random name is a unique token
	env := s.Env
	if env == nil {
		env = os.Environ()
	}
	env = append(env[:len(env):len(env)], RunTokenVar+"="+p.token, "GOTMPDIR="+tmp, "TMPDIR="+tmp)
	args, dir := s.Args, s.Dir
	if pl.uid >= 0 {
		// Never uid 0: what nobody cannot use is copied where it can, or
		// replaced by the system's interpreter, or the program refused.
		path, args, dir, p.substituted, err = forUser(pl.uid, pl.gid, s.Path, path, args, dir, tmp)
		if err != nil {
			os.RemoveAll(tmp)
			releaseOwn(pl)
			return nil, fmt.Errorf("could not start %q: %w", s.Path, err)
		}
		// The program's own directory is its to write; HOME too, since
		// nobody's (/nonexistent) is not.
		env = append(env, "HOME="+tmp)
	}
	if filepath.Base(path) == "go" {
		// go run builds with a cache of the run's own (the user's may be
		// closed to nobody, and must not be written by a learner's
		// program), with the installed toolchain, fetching nothing.
		env = append(env, "GOCACHE="+filepath.Join(tmp, "gocache"), "GOTOOLCHAIN=local", "GOPROXY=off", "GOENV=off")
	}
	s.Args, s.Dir = args, dir
	cmd, err := p.start(pl, path, s, env)
	var se *startError
	if err != nil && !errors.As(err, &se) && pl.newPID && namespaceRefused(err) {
		nsRefused.Store(true)
		uid := pl.uid
		pl = choose()
		pl.uid = uid // the one acquired, for which tmp and its copies were made
		cmd, err = p.start(pl, path, s, env)
	}
	if err != nil {
		if p.status != nil {
			p.status.Close()
		}
		os.RemoveAll(tmp)
		releaseOwn(pl)
		return nil, fmt.Errorf("could not start %q: %w", s.Path, err)
	}
	p.iso, p.uid = pl.iso, pl.uid
	p.cmd = cmd
	p.pgid = cmd.Process.Pid
	p.started = time.Now()
	go p.watch()
	return p, nil
}

// start starts the program as pl says: directly in a process group, or
// under the shim in a namespace.
func (p *Process) start(pl plan, path string, s Spec, env []string) (*exec.Cmd, error) {
	var cmd *exec.Cmd
	var statusW *os.File
	if !pl.shim {
		cmd = exec.Command(path, s.Args...)
		cmd.SysProcAttr = sysProcAttr()
	} else {
		var err error
		if cmd, err = shimCommand(pl, path, s.Args); err != nil {
			return nil, err
		}
		if p.status, statusW, err = os.Pipe(); err != nil {
			return nil, err
		}
		cmd.ExtraFiles = []*os.File{statusW}
	}
	cmd.Dir = s.Dir
	// go run builds in GOTMPDIR and removes it only when it ends by itself;
	// stopped, it would leave megabytes behind on every check.
	cmd.Env = env
	if s.Stdin != nil {
		cmd.Stdin = bytes.NewReader(s.Stdin)
	}
	cmd.Stdout = p.Stdout
	cmd.Stderr = p.Stderr
	cmd.WaitDelay = waitDelay
	becomeSubreaper()
	err := StartChild(cmd)
	if statusW != nil {
		statusW.Close() // the shim holds the only write end now
	}
	if err == nil && p.status != nil {
		if err = shimReady(p.status); err != nil {
			// The program could not be started: the shim exits at once.
			_ = cmd.Wait()
			err = &startError{err}
		}
	}
	if err != nil && p.status != nil {
		p.status.Close()
		p.status = nil
	}
	return cmd, err
}

// startError is the program's own failure to start (reported by the shim),
// as opposed to the kernel refusing the namespaces.
type startError struct{ err error }

func (e *startError) Error() string { return e.err.Error() }
func (e *startError) Unwrap() error { return e.err }

// watch closes p.exited when the leader exits, without reaping it, so its
// pid (and so the group id) cannot be reused before Stop kills the group.
func (p *Process) watch() {
	p.waitExit()
	p.exitedAt = time.Now()
	close(p.exited)
}

// UID is the uid the program runs as, of its own among the programs
// running (as root), or -1 when it runs as verify's own user.
func (p *Process) UID() int { return p.uid }

// releaseOwn frees the uid a plan took for its program.
func releaseOwn(pl plan) {
	if pl.uid >= 0 {
		releaseUID(pl.uid)
	}
}

// Pgid is the program's process group id (equal to its pid).
func (p *Process) Pgid() int { return p.pgid }

// Started is when the program was started.
func (p *Process) Started() time.Time { return p.started }

// Done is closed when the program has exited by itself or been killed.
func (p *Process) Done() <-chan struct{} { return p.exited }

// HasExited reports whether the program has ended.
func (p *Process) HasExited() bool {
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

// Stop ends the program if it is still running (SIGTERM to the group, then
// after grace SIGKILL), kills whatever is left of its group, reaps it and
// returns how it ended. It is safe to call more than once.
func (p *Process) Stop(grace time.Duration) Result {
	p.stopOnce.Do(func() {
		r := Result{}
		reaped := true
		if !p.HasExited() && p.exitedNow() {
			<-p.exited // the watcher returns at once: the leader is gone
		}
		if !p.HasExited() && p.programEnded() {
			// Under the shim the program exited by itself and the shim,
			// which verify watches, is about to: it is not stopped.
			select {
			case <-p.exited:
			case <-time.After(killWait):
			}
		}
		if !p.HasExited() {
			r.Stopped = true
			p.signal(syscall.SIGTERM)
			t := time.NewTimer(grace)
			select {
			case <-p.exited:
			case <-t.C:
				r.NeededKill = true
				p.signal(syscall.SIGKILL)
				// SIGKILL cannot be caught, but a process in an
				// uninterruptible sleep (a hung NFS read) dies only when
				// it wakes: the wait is bounded all the same.
				select {
				case <-p.exited:
				case <-time.After(killWait):
					reaped = false
				}
			}
			t.Stop()
		}
		// The leader has exited but is not reaped yet, so the group id is
		// still ours: children it left behind die here.
		_ = killGroup(p.pgid, syscall.SIGKILL)
		p.killEscaped()
		var err error
		end := time.Now()
		if reaped {
			err = p.reap()
			end = p.exitedAt
		} else {
			go p.reap() // whenever it finally dies
		}
		p.reapOrphans()
		if reaped {
			ChildDone(p.cmd)
		}
		p.killOrphans()
		_ = os.RemoveAll(p.tmp)
		if reaped {
			releaseOwn(plan{uid: p.uid})
		}
		r.Runtime = end.Sub(p.started)
		r.Code = -1
		r.Isolation = p.iso
		r.Substituted = p.substituted
		if st := p.cmd.ProcessState; reaped && st != nil {
			r.Code = st.ExitCode()
			if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				r.Signal = ws.Signal().String()
			}
		}
		if p.status != nil {
			// Under the shim, the program's own status, not the shim's.
			if ws, ok := p.shimStatus(time.Second); ok {
				r.Code, r.Signal = -1, ""
				if ws.Exited() {
					r.Code = ws.ExitStatus()
				} else if ws.Signaled() {
					r.Signal = ws.Signal().String()
				}
			}
			p.status.Close()
		}
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) && !errors.Is(err, exec.ErrWaitDelay) && r.Code == -1 && r.Signal == "" {
			r.Signal = err.Error()
		}
		p.result = r
	})
	return p.result
}

// runDir makes the program's temporary directory, owned by uid and gid
// when they are not -1 and reachable by them: under TMPDIR, or /tmp when
// TMPDIR is closed to uid (root's own).
func runDir(uid, gid int) (string, error) {
	tmp, err := os.MkdirTemp("", "sockstep-run-")
	if err != nil {
		return "", err
	}
	if uid < 0 {
		return tmp, nil
	}
	if !mayAccess(uint32(uid), uint32(gid), filepath.Dir(tmp), 0o1) {
		os.RemoveAll(tmp)
		if tmp, err = os.MkdirTemp("/tmp", "sockstep-run-"); err != nil {
			return "", err
		}
	}
	if err := os.Chown(tmp, uid, gid); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	return tmp, nil
}
