//go:build linux

package lessons

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sockstep/sockstep/lessons/wire"
	"golang.org/x/sys/unix"
)

// synDropped connects, inside a private namespace whose loopback drops
// every packet, to a listener the SYNs never reach. SO_SNDTIMEO bounds
// the blocking connect to limit; meanwhile TCP_INFO is read every few
// milliseconds, and every retransmission of the SYN it counts is noted
// with its time. The error wraps an *nsError where the machine does not
// allow the namespace.
func (l *lab) synDropped(ctx context.Context, limit time.Duration) (synResult, error) {
	res := synResult{Path: "netns", Limit: limit, Dropped: -1, Captured: -1, CapturedRetrans: -1}
	link, err := newLossyLinkWire(100, []Proto{TCP, TCP}, []bool{true, false}, l.s.nsWire())
	if link != nil && link.Wire != nil {
		// The drop rule is on the input hook: the capture on the
		// namespace's loopback sees every SYN leave.
		defer link.Wire.Close()
		if sa, err := unix.Getsockname(link.FDs[0]); err == nil {
			ap, _ := addrPort(sa)
			link.Wire.Watch(wire.TCP, ap.Port())
		}
	}
	if link != nil {
		res.Namespace, res.nsThread = link.ID, link.Gone
		for _, fd := range link.FDs {
			l.keep(fd)
		}
		if link.NS >= 0 {
			l.keep(link.NS)
		}
	}
	if err != nil {
		return res, err
	}
	lfd, c := link.FDs[0], link.FDs[1]
	sa, err := unix.Getsockname(lfd)
	if err != nil {
		return res, err
	}
	l.show(Client, "unshare(CLONE_NEWNET); ioctl(SIOCSIFFLAGS, lo, IFF_UP)", "0", nil, nil)
	l.show(Client, "nftables: numgen random mod 100 < 100 counter drop", "0", nil, nil)
	tv := unix.NsecToTimeval(limit.Nanoseconds())
	if err := unix.SetsockoptTimeval(c, unix.SOL_SOCKET, unix.SO_SNDTIMEO, &tv); err != nil {
		return res, fmt.Errorf("setsockopt(SO_SNDTIMEO): %w", err)
	}
	l.show(Client, fmt.Sprintf("setsockopt(%d, SOL_SOCKET, SO_SNDTIMEO, %s s)", c, seconds(limit)), "0", nil, nil)

	type ret struct {
		err     error
		elapsed time.Duration
	}
	done := make(chan ret, 1)
	l.s.ui.Note("exp.timeouts.blocked", fmt.Sprintf("connect(%d, %s)", c, sockaddrString(sa)))
	start := time.Now()
	go func() {
		for {
			err := unix.Connect(c, sa)
			left := limit - time.Since(start)
			// A signal ends a connect with a timeout set, never
			// restarted (signal(7)); calling it again waits on the
			// same attempt, for what is left of the limit.
			if errors.Is(err, unix.EINTR) && left > 0 {
				tv := unix.NsecToTimeval(left.Nanoseconds())
				unix.SetsockoptTimeval(c, unix.SOL_SOCKET, unix.SO_SNDTIMEO, &tv)
				continue
			}
			done <- ret{err, time.Since(start)}
			return
		}
	}()
	seen := 0
	note := func() {
		info, err := unix.GetsockoptTCPInfo(c, unix.IPPROTO_TCP, unix.TCP_INFO)
		if err != nil || int(info.Total_retrans) <= seen {
			return
		}
		seen = int(info.Total_retrans)
		sd := synSend{At: time.Since(start), Total: seen,
			Backoff: int(info.Backoff), RTO: time.Duration(info.Rto) * time.Microsecond}
		res.Sends = append(res.Sends, sd)
		// Shown as it happens: the wait is long, and this is what
		// happens during it.
		l.show(Client, fmt.Sprintf("getsockopt(%d, IPPROTO_TCP, TCP_INFO)", c),
			fmt.Sprintf("tcpi_total_retrans %d (%s s)", sd.Total, seconds(sd.At.Round(10*time.Millisecond))), nil, nil)
	}
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	var r ret
	for wait := true; wait; {
		select {
		case r = <-done:
			wait = false
		case <-ctx.Done():
			// Ends the attempt and wakes connect (inet_shutdown on a
			// SYN_SENT socket disconnects it).
			unix.Shutdown(c, unix.SHUT_RDWR)
			<-done
			return res, ctx.Err()
		case <-tick.C:
			note()
		}
	}
	note()
	res.Elapsed, res.Err = r.elapsed, r.err
	res.State = tcpState(c)
	if !errors.Is(r.err, unix.EINPROGRESS) && !errors.Is(r.err, unix.ETIMEDOUT) {
		return res, fmt.Errorf("connect: %w", r.err)
	}
	l.show(Client, fmt.Sprintf("connect(%d, %s)", c, sockaddrString(sa))+l.s.msComment(ms(r.elapsed)), "-1", r.err, nil)
	res.Dropped = link.dropped()
	if link.Wire != nil {
		b := link.Wire.Drain(0)
		res.Captured, res.CapturedRetrans = len(b.Packets)+b.Skipped, b.Retransmits
		l.s.addWire(b)
	}
	return res, nil
}
