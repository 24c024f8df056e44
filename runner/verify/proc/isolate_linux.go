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
	"sync"
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
	newPID   bool // a PID namespace of its own
	userNS   bool // a user namespace too (an ordinary user)
	shim     bool // started by the shim (setuid, limits), not directly
}

// choose picks the isolation for a program. As root, always the uid
// nobody, never uid 0: in a PID namespace where the kernel gives one, in
// a process group otherwise (root without CAP_SYS_ADMIN, as in a Docker
// container or a CI job), where being another user is what keeps the
// program from signalling verify (kill(2) needs the same uid or
// CAP_KILL). As an ordinary user, a user and PID namespace; a process
// group alone when the kernel refuses it.
func choose() plan {
	ns := !disabled() && !nsRefused.Load()
	switch {
	case os.Geteuid() == 0 && ns:
		return plan{iso: IsolationNobody, uid: nobody, gid: nobody, dropCaps: true, newPID: true, shim: true}
	case os.Geteuid() == 0:
		return plan{iso: IsolationGroupNobody, uid: nobody, gid: nobody, dropCaps: true, shim: true}
	case ns:
		return plan{iso: IsolationUserNS, uid: -1, gid: -1, dropCaps: true, newPID: true, userNS: true, shim: true}
	}
	return plan{iso: IsolationGroup, uid: -1, gid: -1}
}

// Unprivileged is the uid and gid that verify runs learners' code as
// (programs, and go build in a batch): nobody as root, or -1 and -1 (the
// user's own) as an ordinary user.
func Unprivileged() (uid, gid int) {
	if os.Geteuid() == 0 {
		return nobody, nobody
	}
	return -1, -1
}

// disabled: SOCKSTEP_ISOLATION=off runs programs without namespaces (for
// a kernel or container where they misbehave); as root still as nobody.
func disabled() bool { return os.Getenv("SOCKSTEP_ISOLATION") == "off" }

// systemDirs are where an interpreter is looked for when the one the
// command names cannot be used by nobody (python3 behind a pyenv shim
// under /root).
var systemDirs = []string{"/usr/local/bin", "/usr/bin", "/bin"}

// forUser makes a program runnable by uid without opening anything of the
// learner's to it: when uid cannot run the command, a command named
// without a slash (an interpreter found in PATH) is replaced by the
// same-named one from a system directory that uid can run, and a file
// named with a slash is copied into the run directory tmp; files named in
// the arguments that uid cannot read are copied there too; a working
// directory uid cannot enter is replaced by a copy of the parts of it the
// arguments name (and go.mod and go.sum), in tmp. note says what was
// replaced; the error wraps ErrNoSafeUser when nothing would do.
func forUser(uid, gid int, named, path string, args []string, dir, tmp string) (newPath string, newArgs []string, newDir, note string, err error) {
	may := func(p string, want os.FileMode) bool { return mayAccess(uint32(uid), uint32(gid), p, want) }
	runnable := func(p string) bool {
		if !may(p, 0o1) || isScript(p) && !may(p, 0o4) {
			return false
		}
		in := interpreter(p)
		return in == "" || may(in, 0o1)
	}
	newArgs = append([]string(nil), args...)
	copies := 0
	copyOut := func(src string) (string, error) {
		copies++
		d := filepath.Join(tmp, "copy"+strconv.Itoa(copies))
		if err := os.Mkdir(d, 0o755); err != nil {
			return "", err
		}
		dst := filepath.Join(d, filepath.Base(src))
		return dst, CopyTree(src, dst, -1, -1)
	}
	if !runnable(path) {
		if !strings.ContainsRune(named, os.PathSeparator) {
			alt := ""
			for _, d := range systemDirs {
				if c := filepath.Join(d, filepath.Base(named)); fileExists(c) && runnable(c) {
					alt = c
					break
				}
			}
			if alt == "" {
				return "", nil, "", "", &NoSafeUserError{What: path, Err: fmt.Errorf("no %s in %s either", filepath.Base(named), strings.Join(systemDirs, ", "))}
			}
			note = path + " → " + alt
			path = alt
		} else {
			if in := interpreter(path); in != "" && !may(in, 0o1) {
				return "", nil, "", "", &NoSafeUserError{What: in}
			}
			if path, err = copyOut(path); err != nil {
				return "", nil, "", "", &NoSafeUserError{What: named, Err: err}
			}
		}
	}
	wd := dir
	if wd == "" {
		wd, _ = os.Getwd()
	}
	if !may(wd, 0o1) {
		// The program's folder is closed to uid: it runs in a folder of
		// tmp holding what its arguments name there.
		work := filepath.Join(tmp, "work")
		if err := os.Mkdir(work, 0o755); err != nil {
			return "", nil, "", "", err
		}
		for _, extra := range []string{"go.mod", "go.sum"} {
			if fileExists(filepath.Join(wd, extra)) {
				if err := CopyTree(filepath.Join(wd, extra), filepath.Join(work, extra), -1, -1); err != nil {
					return "", nil, "", "", &NoSafeUserError{What: wd, Err: err}
				}
			}
		}
		for i, a := range newArgs {
			if filepath.IsAbs(a) || !filepath.IsLocal(a) {
				continue
			}
			src := filepath.Join(wd, a)
			if _, err := os.Stat(src); err != nil {
				continue
			}
			dst := filepath.Join(work, a)
			if dst == work {
				// "." names the folder itself (go run .).
				if err := copyInto(src, work); err != nil {
					return "", nil, "", "", &NoSafeUserError{What: wd, Err: err}
				}
				continue
			}
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return "", nil, "", "", err
			}
			if err := CopyTree(src, dst, -1, -1); err != nil && !os.IsExist(err) {
				return "", nil, "", "", &NoSafeUserError{What: a, Err: err}
			}
			newArgs[i] = a
		}
		wd = work
	}
	for i, a := range newArgs {
		p := a
		if !filepath.IsAbs(p) {
			p = filepath.Join(wd, p)
		}
		info, err := os.Stat(p)
		if err != nil {
			continue
		}
		ok := may(p, 0o4)
		if info.IsDir() {
			ok = may(p, 0o5)
		}
		if ok || !info.IsDir() && !info.Mode().IsRegular() {
			continue
		}
		if newArgs[i], err = copyOut(p); err != nil {
			return "", nil, "", "", &NoSafeUserError{What: a, Err: err}
		}
	}
	return path, newArgs, wd, note, nil
}

// copyInto copies what the folder src holds into the folder dst.
func copyInto(src, dst string) error {
	ents, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !e.Type().IsDir() && !e.Type().IsRegular() {
			continue
		}
		if err := CopyTree(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()), -1, -1); err != nil && !os.IsExist(err) {
			return err
		}
	}
	return nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
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
	if info, err := os.Stat(p); err != nil || !info.Mode().IsRegular() {
		return ""
	}
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
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
	ns := "nons"
	if pl.newPID {
		ns = "ns"
	}
	cmd.Args = append([]string{shimName, strconv.Itoa(pl.uid), strconv.Itoa(pl.gid), caps, ns, path}, args...)
	attr := &syscall.SysProcAttr{
		Setpgid: true,
		// If verify dies (SIGKILL), the shim dies, and the namespace with it.
		Pdeathsig: syscall.SIGKILL,
	}
	if pl.newPID {
		attr.Cloneflags = syscall.CLONE_NEWPID
	}
	if pl.userNS {
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
func dropPrivileges(uid int) error {
	for c := 0; ; c++ {
		err := unix.Prctl(unix.PR_CAPBSET_DROP, uintptr(c), 0, 0, 0)
		if errors.Is(err, unix.EINVAL) {
			break // past the last capability this kernel knows
		}
		if errors.Is(err, unix.EPERM) && (os.Geteuid() != 0 || uid > 0) {
			// Root without CAP_SETPCAP (a container may drop it): the
			// program, as another uid, loses every capability at
			// execve(2) anyway, and no_new_privs keeps a set-user-ID
			// binary from giving one back.
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
// raising it needs no privilege), and bounds the program's processes:
// nobody's to nprocLimit; an ordinary user's (whose other processes count
// too) to nprocLimit more than it runs now. The shim and the program
// inherit both.
func limitResources(uid int) {
	_ = os.WriteFile("/proc/self/oom_score_adj", []byte("1000"), 0)
	limit := uint64(nprocLimit)
	if uid < 0 {
		limit += uint64(processesOf(os.Getuid()))
		var cur unix.Rlimit
		if unix.Getrlimit(unix.RLIMIT_NPROC, &cur) == nil && cur.Max < limit {
			limit = cur.Max
		}
	}
	_ = unix.Setrlimit(unix.RLIMIT_NPROC, &unix.Rlimit{Cur: limit, Max: limit})
}

// processesOf counts the processes whose real uid is uid, from /proc.
func processesOf(uid int) int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		var st syscall.Stat_t
		if syscall.Stat("/proc/"+e.Name(), &st) == nil && int(st.Uid) == uid {
			n++
		}
	}
	return n
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
// before it exits, waiting at most d for it; false when it was killed
// first or has not written it within d. A status once read is kept, so
// an early look (Stop's) and the final one see the same.
func (p *Process) shimStatus(d time.Duration) (unix.WaitStatus, bool) {
	if !p.statusRead && p.status != nil {
		_ = p.status.SetReadDeadline(time.Now().Add(d))
		var b [4]byte
		if _, err := io.ReadFull(p.status, b[:]); err == nil {
			p.statusRead, p.statusWord = true, binary.LittleEndian.Uint32(b[:])
		}
	}
	return unix.WaitStatus(p.statusWord), p.statusRead
}

// programEnded reports, without waiting, whether the shim has already
// said that the program exited: the program is gone (its sockets closed)
// while the shim, the process verify watches, is still on its way out.
func (p *Process) programEnded() bool {
	_, ok := p.shimStatus(5 * time.Millisecond)
	return ok
}

// namespaceRefused reports an error from clone(2) that means the kernel
// (or a container's policy) does not allow the namespaces: then programs
// run in a process group only.
func namespaceRefused(err error) bool {
	return errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EINVAL) ||
		errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EUSERS) || errors.Is(err, syscall.EACCES)
}

// runShim is the init of a program's namespace: args are UID GID CAPS NS
// PATH ARGS... (CAPS "drop" or "keep"; NS "ns" in a PID namespace of its
// own, "nons" in a process group only); it returns its exit status.
// Without a namespace the shim is a child subreaper (prctl(2)
// PR_SET_CHILD_SUBREAPER): what the program leaves behind (a double fork,
// setsid) becomes the shim's, and the shim kills it when the program
// exits; whatever is left when the shim itself is killed becomes verify's,
// which kills it on Stop (killOrphans).
func runShim(args []string) int {
	syscall.CloseOnExec(shimStatusFD)
	if len(args) < 5 {
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
	if args[2] == "drop" && dropPrivileges(uid) != nil {
		return 127
	}
	alone := args[3] != "ns"
	if alone {
		_ = unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
	}
	limitResources(uid)
	prog := args[4]
	cmd := exec.Command(prog, args[5:]...)
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
			continue // an orphan: reaped, as init (or a subreaper) must
		}
		if alone {
			killChildren(os.Getpid())
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

// Programs that run at the same time (a batch with -j) each get a uid of
// their own: the first nobody, the others uids from uidRangeStart, which
// no account uses (they are above what useradd gives and below the
// overflow uid 2^32-1). A uid of its own keeps one program's processes
// and files apart from another's (kill(2), ptrace(2), the run directory),
// bounds each by its own RLIMIT_NPROC, and tells verify which sockets are
// the checked program's (the uid column of /proc/net/udp and tcp).
const uidRangeStart = 0x7ff00000

var uids = struct {
	sync.Mutex
	used map[int]bool
}{used: map[int]bool{}}

// acquireUID takes the first free uid for a program run as root.
func acquireUID() int {
	uids.Lock()
	defer uids.Unlock()
	if !uids.used[nobody] {
		uids.used[nobody] = true
		return nobody
	}
	u := uidRangeStart
	for uids.used[u] {
		u++
	}
	uids.used[u] = true
	return u
}

// releaseUID frees a uid once its program and everything it left are gone.
func releaseUID(u int) {
	uids.Lock()
	delete(uids.used, u)
	uids.Unlock()
}

// OthersRunning reports whether another program, of another uid, runs
// beside this one (a batch with -j): only then can a datagram or a
// connection come from one.
func OthersRunning() bool {
	uids.Lock()
	defer uids.Unlock()
	return len(uids.used) > 1
}
