package proc

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

var subreaperOnce sync.Once

// becomeSubreaper makes this process the parent of every orphan among its
// descendants. Without it, the children a killed program leaves are handed
// to init, which may take seconds to reap them; as zombies they still count
// as members of the group. As their subreaper we reap them at once.
func becomeSubreaper() {
	subreaperOnce.Do(func() { _ = unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) })
}

// killEscaped kills, and reaps when they are ours, the processes of this
// run that left its process group (a setsid child, a daemon): they carry
// the run's token in their environment, which a process inherits and
// rarely clears. Looping until none is found catches one that was forking
// while the first were killed.
func (p *Process) killEscaped() {
	mark := []byte("\x00" + RunTokenVar + "=" + p.token + "\x00")
	for range 10 {
		found := false
		for _, pid := range marked(mark) {
			if pgidOf(pid) == p.pgid {
				continue // the group's own: killed and reaped with the group
			}
			found = true
			_ = unix.Kill(pid, unix.SIGKILL)
			var ws unix.WaitStatus
			_, _ = unix.Wait4(pid, &ws, 0, nil) // ECHILD when not ours: init reaps it
		}
		if !found {
			return
		}
	}
}

// marked lists the pids whose environment holds mark, from /proc (only
// this user's processes can be read, which are the only ones a learner's
// program could have started).
func marked(mark []byte) []int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	self := os.Getpid()
	var out []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/environ")
		if err != nil {
			continue
		}
		// Entries are NUL-terminated; a NUL before the mark anchors it
		// to the start of one.
		if bytes.Contains(append([]byte{0}, data...), mark) {
			out = append(out, pid)
		}
	}
	return out
}

// pgidOf reads a process's group from /proc; -1 when it is gone.
func pgidOf(pid int) int {
	g, err := unix.Getpgid(pid)
	if err != nil {
		return -1
	}
	return g
}

// reapOrphans waits for the killed members of the group that were
// reparented to us, so that the group is gone when Stop returns.
func (p *Process) reapOrphans() {
	deadline := time.Now().Add(2 * time.Second)
	for GroupAlive(p.pgid) && time.Now().Before(deadline) {
		for _, pid := range groupMembers(p.pgid) {
			var ws unix.WaitStatus
			_, _ = unix.Wait4(pid, &ws, unix.WNOHANG, nil)
		}
		if GroupAlive(p.pgid) {
			time.Sleep(time.Millisecond)
		}
	}
}

// groupMembers lists the pids whose process group is pgid, from /proc.
func groupMembers(pgid int) []int {
	var out []int
	for _, p := range processes() {
		if p.pgid == pgid {
			out = append(out, p.pid)
		}
	}
	return out
}

// procStat is what verify reads of one process in /proc/PID/stat.
type procStat struct{ pid, ppid, pgid int }

// processes lists every process of this PID namespace with its parent and
// process group, from /proc/PID/stat. The fields after the command name,
// which is in parentheses and may itself hold spaces and parentheses, are:
// state ppid pgrp ... (proc(5)).
func processes() []procStat {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []procStat
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		i := bytes.LastIndexByte(data, ')')
		if i < 0 {
			continue
		}
		f := bytes.Fields(data[i+1:])
		if len(f) < 3 {
			continue
		}
		ppid, err1 := strconv.Atoi(string(f[1]))
		pgid, err2 := strconv.Atoi(string(f[2]))
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, procStat{pid, ppid, pgid})
	}
	return out
}

// Members lists the processes of a group (read from /proc).
func Members(pgid int) []int { return groupMembers(pgid) }

// children is every process verify started on purpose and has not reaped
// yet (programs' leaders, go build): the orphan sweep leaves them alone.
var children = struct {
	sync.Mutex
	pids map[int]bool
}{pids: map[int]bool{}}

// StartChild starts cmd as one of verify's known children. The sweep
// (killOrphans) holds the same lock, so it cannot take a child that was
// just forked for one that was re-parented.
func StartChild(cmd *exec.Cmd) error {
	children.Lock()
	defer children.Unlock()
	if err := cmd.Start(); err != nil {
		return err
	}
	children.pids[cmd.Process.Pid] = true
	return nil
}

// ChildDone forgets a child started with StartChild once it is reaped.
func ChildDone(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	children.Lock()
	delete(children.pids, cmd.Process.Pid)
	children.Unlock()
}

// killOrphans kills and reaps the processes that became verify's children
// without verify starting them: orphans of a program, re-parented to
// verify because it is their child subreaper (prctl(2)
// PR_SET_CHILD_SUBREAPER). Only those of the program's uid are taken when
// the program ran as another user (nobody): verify's own children (a test
// harness's, a pager) are not the program's. Run as the same user, a
// process still in verify's own process group is left too (it may be
// verify's own); the environment token finds one that joined it.
func (p *Process) killOrphans() {
	if p.iso != IsolationGroup && p.iso != IsolationGroupNobody {
		return // a PID namespace: its init's death killed everything in it
	}
	self, own := os.Getpid(), unix.Getpgrp()
	for range 10 {
		children.Lock()
		var victims []int
		for _, c := range childrenOf(self) {
			if children.pids[c.pid] {
				continue
			}
			if p.uid >= 0 && c.uid != p.uid || p.uid < 0 && c.pgid == own {
				continue
			}
			victims = append(victims, c.pid)
			_ = unix.Kill(c.pid, unix.SIGKILL)
		}
		children.Unlock()
		for _, pid := range victims {
			var ws unix.WaitStatus
			_, _ = unix.Wait4(pid, &ws, 0, nil)
		}
		if len(victims) == 0 {
			return
		}
	}
}

// killChildren kills and reaps every child of ppid (the shim's, run as
// the program's subreaper, when the program has exited).
func killChildren(ppid int) {
	for range 10 {
		cs := childrenOf(ppid)
		if len(cs) == 0 {
			return
		}
		for _, c := range cs {
			_ = unix.Kill(c.pid, unix.SIGKILL)
		}
		for _, c := range cs {
			var ws unix.WaitStatus
			_, _ = unix.Wait4(c.pid, &ws, 0, nil)
		}
	}
}

type child struct{ pid, uid, pgid int }

// childrenOf lists the processes whose parent is ppid, from /proc, with
// their owners.
func childrenOf(ppid int) []child {
	var out []child
	for _, p := range processes() {
		if p.ppid != ppid {
			continue
		}
		var st syscall.Stat_t
		if syscall.Stat("/proc/"+strconv.Itoa(p.pid), &st) != nil {
			continue
		}
		out = append(out, child{pid: p.pid, uid: int(st.Uid), pgid: p.pgid})
	}
	return out
}
