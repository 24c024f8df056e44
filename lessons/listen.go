package lessons

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"strconv"

	"github.com/sockstep/sockstep/lessons/sock"
	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// listen turns a stream socket from active to passive: "switch the ringer
// on". From here the kernel completes handshakes on its own and queues
// them for accept, up to backlog.
func (s *Session) listen(ctx context.Context, name string, backlog int) error {
	k, err := s.need(name)
	if err != nil {
		return err
	}
	if k.Proto == TCP && !s.cfg.AllowRemote {
		if sa, e := unix.Getsockname(k.FD); e == nil {
			if ap, ok := addrPort(sa); ok && ap.Port() == 0 {
				// The kernel would bind 0.0.0.0 and a random port, which
				// the whole network could reach.
				return fmt.Errorf("socket %q must be bound (to a loopback address) before listen: %w", name, ErrLesson)
			}
		}
	}
	c := s.begin(k, "listen", "%d, %d", k.FD, backlog)
	err = unix.Listen(k.FD, backlog)
	if err == nil {
		k.Side = Server
		k.Backlog = backlog
		if sa, e := unix.Getsockname(k.FD); e == nil {
			k.Local, _ = addrPort(sa) // an unbound socket gets a port here
		}
	}
	_, err = s.done(c, "0", err)
	return err
}

// accept takes one completed connection off the queue: "answer the
// call". It returns a NEW socket for that caller; the listening socket
// stays as it was, ready for the next one.
func (s *Session) accept(ctx context.Context, name, as string) error {
	k, err := s.need(name)
	if err != nil {
		return err
	}
	c := s.begin(k, "accept", "%d", k.FD)
	// Only a stream socket can have connections to wait for; on anything
	// else accept fails at once (EOPNOTSUPP), which is worth seeing.
	if k.Proto == TCP {
		if err := s.wait(ctx, k.FD, unix.POLLIN); err != nil {
			return err
		}
	}
	nfd, sa, err := sock.Accept(k.FD)
	if err != nil {
		_, err = s.done(c, "", err)
		return err
	}
	nk := &Socket{Name: as, FD: nfd, Proto: k.Proto, Family: k.Family, Side: Server, Peer: k.Peer}
	nk.Remote, _ = addrPort(sa)
	if lsa, e := unix.Getsockname(nfd); e == nil {
		nk.Local, _ = addrPort(lsa)
	}
	s.add(nk)
	s.linkCaller(k, nk)
	_, err = s.done(c, fmt.Sprintf("fd %d, %s", nfd, nk.Remote), nil)
	s.noteForeignCaller(nk)
	return err
}

// noteForeignCaller says so when the connection just accepted comes from
// a socket of another user of this machine: on a shared machine, someone
// else's lesson or program dialled our port, and the learner would
// otherwise take it for their own caller.
func (s *Session) noteForeignCaller(k *Socket) {
	if k.Proto != TCP || !k.Remote.IsValid() {
		return
	}
	uid, ok := tcpOwner(k.Remote, k.Local)
	if !ok || uid == os.Getuid() {
		return
	}
	who := strconv.Itoa(uid)
	if u, err := user.LookupId(who); err == nil {
		who = u.Username + ", uid " + who
	} else {
		who = "uid " + who
	}
	s.ui.Note("session.foreign-caller", k.Remote, who, k.Local.Port())
}
