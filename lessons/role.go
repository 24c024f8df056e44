package lessons

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"golang.org/x/sys/unix"
)

// Two terminals (--role): a lesson runs only its own side, and the other
// side is played by its pair lesson in a second terminal, so each learner
// pauses independently. Every peer socket of the lesson is then external,
// and three things change:
//
//   - a client's connect to the other terminal's server waits until that
//     server listens: the first attempt is shown (ECONNREFUSED, and why),
//     then sockstep watches the kernel's table of listening sockets and
//     connects once the server is there;
//   - a UDP sender likewise waits until the receiver has bound its port,
//     because a datagram sent before that is lost without a word;
//   - once the other side has hung up (recv returned 0), the steps that
//     would still talk to it are skipped with a note, since the other
//     terminal's lesson may say fewer things than this one expects.

// Roles a lesson can play in two-terminal mode.
const (
	RoleServer = "server"
	RoleClient = "client"
)

// retryEvery is how often a client role looks again for the server.
const retryEvery = 200 * time.Millisecond

// externalTarget reports whether a connect or sendto goes to a socket the
// other terminal plays.
func (s *Session) externalTarget(to string) bool {
	k := s.Socket(to)
	return k != nil && k.External
}

// connectWhenListening connects name to addr, waiting for the other
// terminal's server to listen first.
func (s *Session) connectWhenListening(ctx context.Context, name string, addr netip.AddrPort) error {
	err := s.connect(ctx, name, addr)
	if ErrnoOf(err) != unix.ECONNREFUSED {
		return err
	}
	s.ui.Note("role.waiting-server", addr)
	// Only this machine's own table can be read; a server elsewhere (the
	// classroom opt-in) is tried again every second instead.
	if IsLocal(addr.Addr()) {
		if err := s.until(ctx, func() bool { found, known := listeningOn(TCP, addr); return found || !known }); err != nil {
			return err
		}
	}
	start := time.Now()
	for {
		if s.cfg.WaitLimit > 0 && time.Since(start) > s.cfg.WaitLimit {
			return fmt.Errorf("waited %s for the other terminal: %w", s.cfg.WaitLimit, ErrWaited)
		}
		// A socket whose connect failed cannot connect again (Linux says
		// ECONNABORTED): like a real client, start over with a new one.
		k := s.Socket(name)
		s.ui.Note("role.new-socket")
		if err := s.closeSocket(ctx, name); err != nil {
			return err
		}
		if err := s.newSocket(ctx, name, k.Proto, k.Family, false); err != nil {
			return err
		}
		err = s.connect(ctx, name, addr)
		if ErrnoOf(err) != unix.ECONNREFUSED {
			return err
		}
		// The table could not be read (not Linux, another machine), or
		// the server went away again: try once more after a pause.
		if err := s.sleep(ctx, time.Second); err != nil {
			return err
		}
	}
}

// waitReceiver waits until something on this machine has bound addr for
// UDP. A receiver on another machine cannot be seen; then it returns at
// once.
func (s *Session) waitReceiver(ctx context.Context, addr netip.AddrPort) error {
	if !IsLocal(addr.Addr()) {
		return nil
	}
	if found, known := listeningOn(UDP, addr); found || !known {
		return nil
	}
	s.ui.Note("role.waiting-receiver", addr)
	return s.until(ctx, func() bool { found, _ := listeningOn(UDP, addr); return found })
}

// until polls ready every retryEvery, within the session's wait limit.
func (s *Session) until(ctx context.Context, ready func() bool) error {
	start := time.Now()
	for !ready() {
		if s.cfg.WaitLimit > 0 && time.Since(start) > s.cfg.WaitLimit {
			return fmt.Errorf("waited %s for the other terminal: %w", s.cfg.WaitLimit, ErrWaited)
		}
		if err := s.sleep(ctx, retryEvery); err != nil {
			return err
		}
	}
	return nil
}

func (s *Session) sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// hungUpSkip reports, in two-terminal mode, whether a send or recv on
// socket name should be skipped because the other side has already hung
// up, and says so.
func (s *Session) hungUpSkip(action, name string) bool {
	if s.cfg.Role == "" {
		return false
	}
	k := s.Socket(name)
	if k == nil || !k.hungUp || (action != "send" && action != "recv") {
		return false
	}
	s.ui.Note("role.hung-up-skip", action, name)
	return true
}
