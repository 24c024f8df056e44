package proc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// A learner's program must not be able to signal verify: kill(getppid(),
// SIGKILL) would end a whole batch with no report, SIGSTOP would freeze it.
// On Linux each program therefore runs in a PID namespace of its own
// (pid_namespaces(7)), where verify has no pid the program could name, and
// as root under the unprivileged uid nobody as well, so that it cannot
// enter verify's namespace again (setns(2) needs CAP_SYS_ADMIN) or touch
// what root owns. An ordinary user gets a user namespace with the PID
// namespace (user_namespaces(7)), where the kernel allows one.
//
// The first process of a PID namespace is its init: the kernel delivers it
// only the signals it handles, and kills every other process of the
// namespace when it exits. So the program is not started directly: verify
// starts itself again as a small init (the shim), in the new namespace and
// in the program's process group, and the shim starts the program. The
// shim ignores SIGTERM, leaving the program to act on it as it would
// outside, reaps orphans, and when the program exits passes its wait
// status to verify on a pipe and exits: whatever the program left behind
// (a daemon in a session of its own, with an empty environment) dies with
// the namespace.

// shimName is the shim's argv[0]; shimStatusFD the pipe it reports on:
// first shimStarted, or shimFailed and the reason the program could not be
// started; then the program's wait status, 4 bytes little-endian.
const (
	shimName     = "sockstep-verify-init"
	shimStatusFD = 3
	shimStarted  = 'S'
	shimFailed   = 'E'
)

func init() {
	if len(os.Args) > 0 && os.Args[0] == shimName {
		os.Exit(runShim(os.Args[1:]))
	}
}

// nobody is the unprivileged uid and gid programs run as under root.
const nobody = 65534

// plan is how one program will be isolated.
type plan struct {
	iso      Isolation
	uid, gid int  // for the program; -1 to keep verify's
	dropCaps bool // empty the capability bounding set and set no_new_privs
}

// choose picks the isolation for a program. As root: nobody when nobody
// can reach every file it needs; else root without capabilities when the
// files are root's to read (owner bits: a script in /root, python3 behind
// a pyenv shim, go run with root's build cache); else root. As an ordinary
// user, a user namespace. A process group alone when the kernel has
// refused namespaces before.
func choose(path string, args []string, dir string) plan {
	if disabled() || nsRefused.Load() {
		return plan{iso: IsolationGroup, uid: -1, gid: -1}
	}
	if os.Geteuid() != 0 {
		return plan{iso: IsolationUserNS, uid: -1, gid: -1, dropCaps: true}
	}
	if filepath.Base(path) != "go" && readable(nobody, nobody, path, dir, args) {
		// (go run under nobody would rebuild the standard library each
		// time, with a cache of its own, far past the time limit.)
		return plan{iso: IsolationNobody, uid: nobody, gid: nobody, dropCaps: true}
	}
	if readable(0, 0, path, dir, args) {
		return plan{iso: IsolationNoCaps, uid: -1, gid: -1, dropCaps: true}
	}
	return plan{iso: IsolationRoot, uid: -1, gid: -1}
}

// disabled: SOCKSTEP_ISOLATION=off runs programs as before, in a process
// group only (for a kernel or container where namespaces misbehave).
func disabled() bool { return os.Getenv("SOCKSTEP_ISOLATION") == "off" }

// readable reports whether uid (in group gid, no other groups, no
// capabilities) can run path (and, when it is a script, its interpreter),
// read every argument that names an existing file, and enter dir. The
// permission bits are checked along every parent directory as the kernel
// checks them (path_resolution(7)): the owner's, the group's or the others'.
func readable(uid, gid uint32, path, dir string, args []string) bool {
	may := func(p string, want os.FileMode) bool { return mayAccess(uid, gid, p, want) }
	if !may(path, 0o1) || !may(path, 0o4) && isScript(path) {
		return false
	}
	if interp := interpreter(path); interp != "" && !may(interp, 0o1) {
		return false
	}
	if dir != "" && !may(dir, 0o1) {
		return false
	}
	for _, a := range args {
		p := a
		if !filepath.IsAbs(p) && dir != "" {
			p = filepath.Join(dir, p)
		}
		if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() && !may(p, 0o4) {
			return false
		}
	}
	return true
}

// mayAccess reports whether uid, in group gid, has the permission bits
// want (as "other" bits: 1 search/execute, 4 read) on p, and search
// permission on every directory above it (symbolic links resolved).
func mayAccess(uid, gid uint32, p string, want os.FileMode) bool {
	abs, err := filepath.Abs(p)
	if err != nil {
		return false
	}
	if abs, err = filepath.EvalSymlinks(abs); err != nil {
		return false
	}
	if !permits(uid, gid, abs, want) {
		return false
	}
	for d := filepath.Dir(abs); ; d = filepath.Dir(d) {
		if !permits(uid, gid, d, 0o1) {
			return false
		}
		if d == filepath.Dir(d) {
			return true
		}
	}
}

// permits applies one file's owner, group or other bits to uid and gid.
func permits(uid, gid uint32, p string, want os.FileMode) bool {
	var st syscall.Stat_t
	if err := syscall.Stat(p, &st); err != nil {
		return false
	}
	perm := os.FileMode(st.Mode) & 0o777
	switch {
	case st.Uid == uid:
		perm >>= 6
	case st.Gid == gid:
		perm >>= 3
	}
	return perm&want == want
}

func isScript(p string) bool { return interpreter(p) != "" }

// interpreter returns the program named on a script's "#!" line.
func interpreter(p string) string {
	f, err := os.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	buf := make([]byte, 256)
	n, _ := f.Read(buf)
	line, _, _ := strings.Cut(string(buf[:n]), "\n")
	rest, ok := strings.CutPrefix(line, "#!")
	if !ok {
		return ""
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return ""
	}
	return fields[0]
}

// shimCommand makes the command that runs path under the shim, with the
// namespace flags of pl. The status pipe's write end is the shim's fd 3.
func shimCommand(pl plan, path string, args []string) (*exec.Cmd, error) {
	if _, err := os.Stat("/proc/self/exe"); err != nil {
		return nil, fmt.Errorf("no /proc: %w", syscall.EPERM) // run in a group only
	}
	// /proc/self/exe, not os.Executable's path: it still runs when the
	// binary was replaced or removed since verify started (go install).
	// The forked child resolves it in the first /proc mount, to itself.
	cmd := exec.Command("/proc/self/exe")
	caps := "keep"
	if pl.dropCaps {
		caps = "drop"
	}
	cmd.Args = append([]string{shimName, strconv.Itoa(pl.uid), strconv.Itoa(pl.gid), caps, path}, args...)
	attr := &syscall.SysProcAttr{
		Setpgid:    true,
		Cloneflags: syscall.CLONE_NEWPID,
		// If verify dies (SIGKILL), the shim dies, and the namespace with it.
		Pdeathsig: syscall.SIGKILL,
	}
	if pl.iso == IsolationUserNS {
		attr.Cloneflags |= syscall.CLONE_NEWUSER
		attr.UidMappings = []syscall.SysProcIDMap{{ContainerID: os.Getuid(), HostID: os.Getuid(), Size: 1}}
		attr.GidMappings = []syscall.SysProcIDMap{{ContainerID: os.Getgid(), HostID: os.Getgid(), Size: 1}}
		attr.GidMappingsEnableSetgroups = false
	}
	cmd.SysProcAttr = attr
	return cmd, nil
}

// dropPrivileges empties the capability bounding set and sets no_new_privs
// (prctl(2), capabilities(7)): whatever the program then executes, a
// set-user-ID binary included, gains no capability, so even as root it
// cannot enter another namespace (setns(2) needs CAP_SYS_ADMIN), override
// file permissions or signal another user's processes. The shim keeps its
// own capabilities, which it needs to set the program's uid.
func dropPrivileges() error {
	for c := 0; ; c++ {
		err := unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(c), 0, 0, 0)
		if errors.Is(err, unix.EINVAL) {
			break // past the last capability this kernel knows
		}
		if errors.Is(err, unix.EPERM) && os.Geteuid() != 0 {
			// In a user namespace as an ordinary user the shim has no
			// capability to drop (execve(2) as a non-zero uid cleared
			// them), and neither will the program.
			break
		}
		if err != nil {
			return err
		}
	}
	return unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
}

// nprocLimit bounds the processes of the uid nobody (RLIMIT_NPROC counts
// a real uid's processes on the whole machine, setrlimit(2)): a fork bomb
// under nobody stops there instead of taking every pid verify needs.
const nprocLimit = 1024

// limitResources makes the program, not verify, what the kernel's OOM
// killer picks first when memory runs out (oom_score_adj 1000, proc(5);
// raising it needs no privilege), and bounds nobody's processes. The shim
// and the program inherit both; the shim dying ends the namespace anyway.
func limitResources(uid int) {
	_ = os.WriteFile("/proc/self/oom_score_adj", []byte("1000"), 0)
	if uid > 0 {
		_ = unix.Setrlimit(unix.RLIMIT_NPROC, &unix.Rlimit{Cur: nprocLimit, Max: nprocLimit})
	}
}

// shimReady reads the shim's first report: nil once the program runs, or
// why it could not be started.
func shimReady(r *os.File) error {
	_ = r.SetReadDeadline(time.Now().Add(shimStartWait))
	buf := make([]byte, 4096)
	n, err := r.Read(buf)
	switch {
	case n > 0 && buf[0] == shimStarted:
		return nil
	case n > 0 && buf[0] == shimFailed:
		return errors.New(string(buf[1:n]))
	case err != nil:
		return fmt.Errorf("the namespace's init did not report: %w", err)
	}
	return errors.New("the namespace's init did not report")
}

// shimStartWait bounds the wait for the shim to start the program (it is
// verify's own binary started again: milliseconds).
const shimStartWait = 10 * time.Second

// shimStatus reads the program's wait status, which the shim writes just
// before it exits; false when it was killed first.
func shimStatus(r *os.File) (unix.WaitStatus, bool) {
	_ = r.SetReadDeadline(time.Now().Add(time.Second))
	var b [4]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return 0, false
	}
	return unix.WaitStatus(binary.LittleEndian.Uint32(b[:])), true
}

// namespaceRefused reports an error from clone(2) that means the kernel
// (or a container's policy) does not allow the namespaces: then programs
// run in a process group only.
func namespaceRefused(err error) bool {
	return errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EINVAL) ||
		errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EUSERS) || errors.Is(err, syscall.EACCES)
}

// runShim is the init of a program's namespace: args are UID GID CAPS PATH
// ARGS... (CAPS "drop" or "keep"); it returns its exit status.
func runShim(args []string) int {
	syscall.CloseOnExec(shimStatusFD)
	if len(args) < 4 {
		return 127
	}
	uid, err1 := strconv.Atoi(args[0])
	gid, err2 := strconv.Atoi(args[1])
	if err1 != nil || err2 != nil {
		return 127
	}
	// Handled, not ignored: an ignored signal stays ignored across execve,
	// and the program must see SIGTERM as it would outside.
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT)

	// Capabilities and no_new_privs belong to a thread: drop them on the
	// one that forks the program (during init the main goroutine is on the
	// main thread already; locking says so).
	runtime.LockOSThread()
	if args[2] == "drop" && dropPrivileges() != nil {
		return 127
	}
	limitResources(uid)
	prog := args[3]
	cmd := exec.Command(prog, args[4:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	attr := &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if uid >= 0 {
		attr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}
	}
	cmd.SysProcAttr = attr
	status := os.NewFile(shimStatusFD, "status")
	if err := cmd.Start(); err != nil {
		_, _ = status.Write(append([]byte{shimFailed}, err.Error()...))
		return 127
	}
	if _, err := status.Write([]byte{shimStarted}); err != nil {
		return 127
	}
	child := cmd.Process.Pid
	for {
		var ws unix.WaitStatus
		pid, err := unix.Wait4(-1, &ws, 0, nil)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return 127
		}
		if pid != child {
			continue // an orphan: reaped, as init must
		}
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], uint32(ws))
		_, _ = status.Write(b[:])
		switch {
		case ws.Exited():
			return ws.ExitStatus()
		case ws.Signaled():
			return 128 + int(ws.Signal())
		}
		return 127
	}
}
