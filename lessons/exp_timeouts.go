package lessons

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// Timeouts: a blocking call waits as long as it takes. recvfrom for a
// datagram that never comes waits for ever; SO_RCVTIMEO bounds the wait
// and turns it into EAGAIN (socket(7)). A connect whose SYNs are dropped
// is retried by the kernel on a timer (tcp(7) tcp_syn_retries), the
// retries counted in TCP_INFO, until SO_SNDTIMEO ends the call with
// EINPROGRESS (socket(7)) or the retries run out with ETIMEDOUT.

// blockResult is one blocking recvfrom: how long it waited, how it ended.
type blockResult struct {
	Wait    time.Duration // how long the lesson let it wait (blocks), or SO_RCVTIMEO (timeout)
	Elapsed time.Duration // how long recvfrom took to return
	// Early: recvfrom returned before the lesson sent anything.
	Early bool
	Got   string // what it returned (blocks)
	Err   error  // what it failed with (timeout): EAGAIN
}

// blockingRecvfrom runs one blocking recvfrom on rx in a goroutine that
// ends before it returns. After wait (or when ctx ends), if the call is
// still blocked, wake sends it a datagram: nothing else ends a blocked
// recvfrom, and a goroutine must not outlive the experiment.
func blockingRecvfrom(ctx context.Context, rx int, wait time.Duration, wake func() error) (n int, buf []byte, elapsed time.Duration, early bool, err error) {
	type ret struct {
		n       int
		err     error
		elapsed time.Duration
	}
	buf = make([]byte, 1024)
	done := make(chan ret, 1)
	start := time.Now()
	go func() {
		for {
			n, _, err := unix.Recvfrom(rx, buf, 0)
			if errors.Is(err, unix.EINTR) {
				continue
			}
			done <- ret{n, err, time.Since(start)}
			return
		}
	}()
	t := time.NewTimer(wait)
	defer t.Stop()
	var r ret
	select {
	case r = <-done:
		early = true
	case <-t.C:
	case <-ctx.Done():
	}
	if !early {
		if werr := wake(); werr != nil {
			// Unreachable on loopback; the goroutine would stay
			// blocked, so say so loudly.
			panic(fmt.Sprintf("the experiment could not wake its own recvfrom: %v", werr))
		}
		r = <-done
	}
	if r.err == nil && ctx.Err() != nil {
		r.err = ctx.Err()
	}
	return r.n, buf, r.elapsed, early, r.err
}

// udpBlocks shows a blocking recvfrom waiting for a datagram that was
// lost (here: never sent). After wait the lesson sends one itself, late,
// and only that ends the call.
func (l *lab) udpBlocks(ctx context.Context, wait time.Duration) (blockResult, error) {
	res := blockResult{Wait: wait}
	tx, rx, addr, to, err := l.udpPair()
	if err != nil {
		return res, err
	}
	late := []byte("late")
	l.s.ui.Note("exp.timeouts.blocked", fmt.Sprintf("recvfrom(%d, 1024, 0)", rx))
	n, buf, elapsed, early, err := blockingRecvfrom(ctx, rx, wait, func() error {
		return unix.Sendto(tx, late, 0, to)
	})
	res.Elapsed, res.Early = elapsed, early
	if err != nil {
		return res, fmt.Errorf("recvfrom: %w", err)
	}
	res.Got = string(buf[:n])
	if early {
		// Another program sent to this port: the wait shown would be
		// a lie.
		return res, labFailed(errLabTimeout, "exp.timeouts.err.early", "recvfrom returned %d bytes nobody in the lesson sent, after %s ms", n, ms(elapsed))
	}
	l.show(Client, fmt.Sprintf("sendto(%d, \"late\", 0, %s)", tx, addr)+l.s.msComment(ms(wait)), strconv.Itoa(len(late)), nil, nil)
	l.show(Server, fmt.Sprintf("recvfrom(%d, 1024, 0)", rx)+l.s.msComment(ms(elapsed)), strconv.Itoa(n), nil, buf[:n])
	return res, nil
}

// udpTimeout is the same wait with SO_RCVTIMEO set: recvfrom gives up
// by itself with EAGAIN.
func (l *lab) udpTimeout(ctx context.Context, timeout time.Duration) (blockResult, error) {
	res := blockResult{Wait: timeout}
	tx, rx, _, to, err := l.udpPair()
	if err != nil {
		return res, err
	}
	tv := unix.NsecToTimeval(timeout.Nanoseconds())
	if err := unix.SetsockoptTimeval(rx, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		return res, fmt.Errorf("setsockopt(SO_RCVTIMEO): %w", err)
	}
	l.show(Server, fmt.Sprintf("setsockopt(%d, SOL_SOCKET, SO_RCVTIMEO, %s s)", rx, seconds(timeout)), "0", nil, nil)
	// The lesson wakes the call only if the kernel has not ended it
	// well after the timeout, or on Ctrl-C.
	l.s.ui.Note("exp.timeouts.blocked", fmt.Sprintf("recvfrom(%d, 1024, 0)", rx))
	_, _, elapsed, early, err := blockingRecvfrom(ctx, rx, timeout+labWait, func() error {
		return unix.Sendto(tx, []byte("late"), 0, to)
	})
	res.Elapsed, res.Early, res.Err = elapsed, early, err
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	if !early || !errors.Is(err, unix.EAGAIN) {
		return res, labFailed(errLabTimeout, "exp.timeouts.err.rcvtimeo", "recvfrom with SO_RCVTIMEO returned %s after %s ms, not EAGAIN", l.s.errName(err), ms(elapsed))
	}
	l.show(Server, fmt.Sprintf("recvfrom(%d, 1024, 0)", rx)+l.s.msComment(ms(elapsed)), "-1", err, nil)
	return res, nil
}

// seconds is d in seconds, as short as it can be written: "1.5", "2".
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}

// synResult is a connect whose SYNs are all dropped.
type synResult struct {
	Path      string // "netns", or "none": no namespace here
	Namespace string
	Reason    string // why there is no namespace
	Limit     time.Duration
	// Sends are the SYNs the kernel sent again, as TCP_INFO saw them.
	Sends   []synSend
	Elapsed time.Duration // how long connect took to return
	Err     error         // what connect returned: EINPROGRESS
	State   string        // the socket's state after connect gave up
	Dropped int           // packets the link dropped, -1 unknown
	// Captured counts the SYNs a capture on the namespace's loopback saw
	// leave, and CapturedRetrans those among them sent again; -1
	// without a capture.
	Captured, CapturedRetrans int

	nsThread <-chan struct{}
}

// synSend is one retransmission of the SYN: when TCP_INFO first showed
// it, tcpi_total_retrans then, and the timer the kernel set for the next
// (tcpi_rto) and its backoff count (tcpi_backoff).
type synSend struct {
	At      time.Duration
	Total   int
	Backoff int
	RTO     time.Duration
}

// Intervals are the gaps between the SYNs: the first SYN at 0, then each
// retransmission.
func (r synResult) Intervals() []time.Duration {
	var out []time.Duration
	prev := time.Duration(0)
	for _, s := range r.Sends {
		out = append(out, s.At-prev)
		prev = s.At
	}
	return out
}

var timeoutsExperiment = &Spec{Action: "timeouts",
	Example: "experiment timeouts case=block wait=3",
	Params: []Param{
		{Name: "case", Required: true, Values: []string{"block", "rcvtimeo", "syn"}},
		{Name: "wait", Default: "3", Min: 1, Max: 30},
		{Name: "mode", Values: []string{"auto", "netns", "explain"}, Default: "auto"},
	},
	preview: func(s *Session, a args) string {
		switch a.get("case") {
		case "block":
			return "recvfrom(rx, 1024, 0)" + s.comment("exp.timeouts.call.none") + "\n" +
				s.text("exp.timeouts.call.later", a.get("wait"), `sendto(tx, "late", rx)`)
		case "rcvtimeo":
			return "setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, " + a.get("wait") + " s)\nrecvfrom(rx, 1024, 0)"
		}
		return "unshare(CLONE_NEWNET); " + s.text("exp.timeouts.call.drop-all") + "\n" +
			"setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, " + a.get("wait") + " s)\nconnect(c, srv)\n" +
			"getsockopt(c, IPPROTO_TCP, TCP_INFO) …"
	},
	run: func(ctx context.Context, s *Session, a args) error {
		l := s.newLab()
		defer l.close()
		switch a.get("case") {
		case "block", "rcvtimeo":
			wait := a.int("wait")
			if a.get("case") == "block" {
				res, err := l.udpBlocks(ctx, time.Duration(wait)*time.Second)
				if err != nil {
					return err
				}
				s.measure(Measurement{Title: "exp.timeouts.title", Rows: []Row{
					{Key: "exp.timeouts.block", Args: []any{ms(res.Wait), ms(res.Elapsed), res.Got}},
				}, Values: map[string]string{"waited": ms(res.Elapsed)}})
				return nil
			}
			res, err := l.udpTimeout(ctx, time.Duration(wait)*time.Second)
			if err != nil {
				return err
			}
			s.measure(Measurement{Title: "exp.timeouts.title", Rows: []Row{
				{Key: "exp.timeouts.rcvtimeo", Args: []any{seconds(res.Wait), ms(res.Elapsed), ErrnoName(ErrnoOf(res.Err))}},
			}, Values: map[string]string{"limit": seconds(res.Wait), "elapsed": ms(res.Elapsed)}})
			return nil
		}
		res, err := s.synTimeouts(ctx, l, time.Duration(a.int("wait"))*time.Second, a.get("mode"))
		if err != nil {
			return err
		}
		s.measure(synMeasurement(res))
		return nil
	}}

// synTimeouts runs the dropped-SYN connect where the machine allows a
// private namespace, and otherwise says what it would show.
func (s *Session) synTimeouts(ctx context.Context, l *lab, limit time.Duration, mode string) (synResult, error) {
	if mode != "explain" {
		res, err := l.synDropped(ctx, limit)
		var ne *nsError
		if err == nil || mode == "netns" || !errors.As(err, &ne) {
			return res, err
		}
		s.ui.Note("exp.timeouts.fallback", ne.reason(s))
		return synResult{Path: "none", Limit: limit, Reason: ne.reason(s), Dropped: -1, Captured: -1, CapturedRetrans: -1}, nil
	}
	return synResult{Path: "none", Limit: limit, Dropped: -1, Captured: -1, CapturedRetrans: -1}, nil
}

func synMeasurement(res synResult) Measurement {
	if res.Path != "netns" {
		return Measurement{Title: "exp.timeouts.title", Rows: []Row{{Key: "exp.timeouts.syn-none"}}}
	}
	var gaps, rtos []string
	for _, d := range res.Intervals() {
		gaps = append(gaps, seconds(d.Round(10*time.Millisecond)))
	}
	backoff := 0
	for _, sd := range res.Sends {
		rtos = append(rtos, seconds(sd.RTO))
		backoff = max(backoff, sd.Backoff)
	}
	rows := []Row{
		{Key: "exp.timeouts.syn-gaps", Args: []any{len(res.Sends), strings.Join(gaps, ", ")}},
		{Key: "exp.timeouts.syn-rto", Args: []any{strings.Join(rtos, ", "), backoff}},
	}
	rows = append(rows,
		Row{Key: "exp.timeouts.syn-end", Args: []any{seconds(res.Limit), ms(res.Elapsed), ErrnoName(ErrnoOf(res.Err)), res.State}},
		Row{Key: "exp.timeouts.syn-dropped", Args: []any{res.Dropped}})
	if res.Captured >= 0 {
		rows = append(rows, Row{Key: "exp.timeouts.syn-captured", Args: []any{res.Captured, res.CapturedRetrans}})
	}
	return Measurement{Title: "exp.timeouts.title", Rows: rows}
}
