package proc

import (
	"bytes"
	"os"
	"strconv"
	"sync"
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
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		data, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// Fields after the command name, which is in parentheses and may
		// itself hold spaces: state ppid pgrp ...
		i := bytes.LastIndexByte(data, ')')
		if i < 0 {
			continue
		}
		f := bytes.Fields(data[i+1:])
		if len(f) < 3 {
			continue
		}
		if g, err := strconv.Atoi(string(f[2])); err == nil && g == pgid {
			out = append(out, pid)
		}
	}
	return out
}

// Members lists the processes of a group (read from /proc).
func Members(pgid int) []int { return groupMembers(pgid) }
