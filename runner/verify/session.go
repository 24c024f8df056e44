package verify

import (
	"context"
	"io"
	"sync"
	"time"

	"github.com/sockstep/sockstep/runner/verify/proc"
)

// deadliner is a socket whose blocking calls can be cut short.
type deadliner interface{ SetDeadline(time.Time) error }

// session is one run of the program against one peer. It owns the time
// limit: every socket the peer uses is tracked, so that when the limit is
// reached, the caller cancels, or (for sockets that only the program's
// activity can satisfy) the program exits, the peer's blocking call
// returns at once instead of waiting out its own timer.
type session struct {
	host     string
	port     int
	obs      *Observation
	proc     *proc.Process
	deadline time.Time
	ctx      context.Context
	fix      context.CancelFunc // ends ctx early: see verdictFixed
	senders  senders            // source ports found foreign (sender.go)

	mu       sync.Mutex
	exited   bool // the program has exited: exit-tracked sockets are cut
	stopped  bool // time is up or the caller cancelled: every socket is cut
	all      []deadliner
	untilEnd []deadliner // cut when the program exits
}

// watch cuts tracked sockets short when the program exits or time is up.
func (s *session) watch() {
	select {
	case <-s.proc.Done():
		s.mu.Lock()
		s.exited = true
		for _, d := range s.untilEnd {
			_ = d.SetDeadline(time.Now())
		}
		s.mu.Unlock()
		<-s.ctx.Done()
	case <-s.ctx.Done():
	}
	s.mu.Lock()
	s.stopped = true
	for _, d := range s.all {
		_ = d.SetDeadline(time.Now())
	}
	s.mu.Unlock()
}

// track gives d the session's deadline. With cutOnExit, d is also cut when
// the program exits: use it for waits that only the live program can end
// (accept, a UDP read), not for connections, which report the program's
// exit themselves as end of stream.
func (s *session) track(d deadliner, cutOnExit bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.all = append(s.all, d)
	if cutOnExit {
		s.untilEnd = append(s.untilEnd, d)
	}
	_ = d.SetDeadline(s.deadlineFor(cutOnExit, s.deadline))
}

// shorten limits d's next calls to wait at most dur (within the session's
// deadline); restore undoes it.
func (s *session) shorten(d deadliner, dur time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := time.Now().Add(dur)
	if t.After(s.deadline) {
		t = s.deadline
	}
	_ = d.SetDeadline(s.deadlineFor(false, t))
}

func (s *session) restore(d deadliner) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_ = d.SetDeadline(s.deadlineFor(false, s.deadline))
}

func (s *session) deadlineFor(cutOnExit bool, t time.Time) time.Time {
	if s.stopped || (cutOnExit && s.exited) {
		return time.Now()
	}
	return t
}

// verdictFixed ends the session early: the program has sent more than
// verify keeps (maxReceived, maxDatagrams), so it has failed whatever it
// does next. Every socket is cut as when time is up, and the program is
// stopped without waiting out the time limit. It is not a timeout.
func (s *session) verdictFixed() {
	if s.fix != nil {
		s.fix()
	}
}

// over reports whether time is up or the caller cancelled.
func (s *session) over() bool { return s.ctx.Err() != nil }

// closeAll closes every socket the peer still holds. It runs after the
// program is stopped: a connection verify closed first would hand a
// program stuck waiting for the end of the stream its EOF in the last
// moment, and whether it then printed would be a race.
func (s *session) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.all {
		if c, ok := d.(io.Closer); ok {
			_ = c.Close()
		}
	}
}

// gaveUp records what the peer was waiting for when it stopped.
func (s *session) gaveUp(what string) {
	if s.obs.WaitedFor == "" {
		s.obs.WaitedFor = what
	}
}

// waitExit waits for the program to end by itself, until the deadline.
func (s *session) waitExit() bool {
	select {
	case <-s.proc.Done():
		return true
	case <-s.ctx.Done():
		s.gaveUp(waitExit)
		return false
	}
}

// backoff returns the successive pauses of a poll: short at first, since a
// program that is about to be ready should cost verify almost nothing, and
// capped, so that a slow one is not polled in a tight loop.
func backoff(i int) time.Duration {
	d := 500 * time.Microsecond << min(i, 6)
	return min(d, 20*time.Millisecond)
}
