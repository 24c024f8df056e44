package lessons

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// Concurrency: the server of the notes serves one client at a time. A
// second client still connects (the kernel completes its handshake into
// the accept queue), but waits for its reply until the first hangs up.
// Serving each connection in its own goroutine removes the wait.

// raceResult is two clients against one server: A connects and holds its
// connection open for a while; B connects meanwhile and asks.
type raceResult struct {
	Mode string
	// When B's connect returned: how many connections the server had
	// accepted, and how many were waiting in its accept queue.
	AcceptedAtB, QueueAtB int
	AWait, BWait          time.Duration // from send to reply
	Hold                  time.Duration // how long A stayed connected
	// BAfterAClosed: B's reply came only after A had hung up.
	BAfterAClosed bool
}

// echoServer serves connections on lfd until stop ends: one after
// another (iterative), or each in its own goroutine (concurrent).
func (l *lab) echoServer(stop context.Context, lfd int, concurrent bool, accepted *atomic.Int32, wg *sync.WaitGroup) {
	serve := func(fd int) {
		buf := make([]byte, 1024)
		for {
			ok, err := l.ready(stop, fd, unix.POLLIN, time.Hour)
			if err != nil || !ok {
				return
			}
			n, _, err := unix.Recvfrom(fd, buf, 0)
			if err != nil || n == 0 {
				l.forget(fd)
				return
			}
			if sendAll(fd, buf[:n]) != nil {
				return
			}
		}
	}
	defer wg.Done()
	for {
		fd, err := l.accept(stop, lfd, time.Hour)
		if err != nil {
			return
		}
		accepted.Add(1)
		if concurrent {
			wg.Add(1)
			go func() { defer wg.Done(); serve(fd) }()
		} else {
			serve(fd)
		}
	}
}

// twoClients runs A and B against an echo server.
func (l *lab) twoClients(ctx context.Context, concurrent bool, hold time.Duration) (raceResult, error) {
	res := raceResult{Mode: "iterative", Hold: hold}
	if concurrent {
		res.Mode = "concurrent"
	}
	lfd, addr, err := l.listener(8)
	if err != nil {
		return res, err
	}
	stop, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var accepted atomic.Int32
	wg.Add(1)
	go l.echoServer(stop, lfd, concurrent, &accepted, &wg)
	defer func() { cancel(); wg.Wait() }()

	ask := func(fd int, msg string) (time.Duration, error) {
		start := time.Now()
		if err := sendAll(fd, []byte(msg)); err != nil {
			return 0, err
		}
		buf := make([]byte, 64)
		if _, err := l.recv(ctx, fd, buf, 0, hold+3*time.Second); err != nil {
			return 0, err
		}
		return time.Since(start), nil
	}
	a, err := l.dial(ctx, addr, labWait)
	if err != nil {
		return res, err
	}
	l.show(Client, fmt.Sprintf("connect(%d, %s)  # A", a, addr), "0", nil, nil)
	if res.AWait, err = ask(a, "A"); err != nil {
		return res, err
	}
	b, err := l.dial(ctx, addr, labWait)
	if err != nil {
		return res, err
	}
	res.AcceptedAtB, res.QueueAtB = int(accepted.Load()), acceptQueue(lfd)
	l.show(Client, fmt.Sprintf("connect(%d, %s)  # B", b, addr), "0", nil, nil)

	var aClosed atomic.Bool
	type reply struct {
		wait       time.Duration
		afterClose bool
		err        error
	}
	got := make(chan reply, 1)
	go func() {
		w, err := ask(b, "B")
		got <- reply{w, aClosed.Load(), err}
	}()
	select {
	case r := <-got: // served while A is still connected
		l.forget(a)
		aClosed.Store(true)
		res.BWait, res.BAfterAClosed = r.wait, r.afterClose
		if r.err != nil {
			return res, r.err
		}
		return res, nil
	case <-time.After(hold):
	case <-ctx.Done():
		l.forget(b) // frees the goroutine's recv
		<-got
		return res, ctx.Err()
	}
	aClosed.Store(true)
	l.forget(a)
	l.show(Client, fmt.Sprintf("close(%d)  # A", a), "0", nil, nil)
	r := <-got
	if r.err != nil {
		if errors.Is(r.err, errLabTimeout) {
			return res, labFailed(r.err, "exp.concurrency.err.no-reply", "client B never got its reply")
		}
		return res, r.err
	}
	res.BWait, res.BAfterAClosed = r.wait, r.afterClose
	return res, nil
}

// holdOf reads hold=, how long client A stays connected.
func holdOf(a args) (time.Duration, error) {
	v := a.get("hold")
	hold, err := time.ParseDuration(v)
	if err != nil || hold < 10*time.Millisecond || hold > 10*time.Second {
		return 0, mistake("lint.d.duration", "%s=%q must be a duration from %s to %s", "hold", v, "10ms", "10s")
	}
	return hold, nil
}

var concurrencyExperiment = &Spec{Action: "concurrency",
	Example: "experiment concurrency server=iterative hold=300ms",
	Params:  []Param{{Name: "server", Required: true, Values: []string{"iterative", "concurrent", "both"}}, {Name: "hold", Default: "300ms"}},
	check:   func(a args) error { _, err := holdOf(a); return err },
	preview: func(s *Session, a args) string {
		return "connect(a, srv); send(a, \"A\"); recv(a); sleep(" + a.get("hold") + "); close(a)\nconnect(b, srv); send(b, \"B\"); recv(b)"
	},
	run: func(ctx context.Context, s *Session, a args) error {
		hold, err := holdOf(a)
		if err != nil {
			return err
		}
		modes := []bool{false}
		switch a.get("server") {
		case "concurrent":
			modes = []bool{true}
		case "both":
			modes = []bool{false, true}
		}
		var rows []Row
		var bars []Bar
		values := map[string]string{}
		for _, concurrent := range modes {
			l := s.newLab()
			res, err := l.twoClients(ctx, concurrent, hold)
			l.close()
			if err != nil {
				return err
			}
			key := "exp.conc." + res.Mode
			rows = append(rows,
				Row{Key: key + "-title"},
				Row{Key: "exp.conc.connected", Args: []any{res.AcceptedAtB, res.QueueAtB}},
				Row{Key: "exp.conc.waits", Args: []any{ms(res.AWait), ms(res.BWait)}})
			if res.BAfterAClosed {
				rows = append(rows, Row{Key: "exp.conc.after-a", Args: []any{ms(res.Hold)}})
			} else {
				rows = append(rows, Row{Key: "exp.conc.while-a"})
			}
			bars = append(bars, Bar{Key: key + "-bar", Value: float64(res.BWait.Microseconds()) / 1000, Unit: "ms"})
			// b_wait_iterative, b_wait_concurrent: B's wait in ms.
			values["b_wait_"+res.Mode] = ms(res.BWait)
			values["hold"] = ms(res.Hold)
		}
		m := Measurement{Title: "exp.conc.title", Rows: rows, Values: values}
		if len(bars) > 1 {
			m.Bars = bars
		}
		s.measure(m)
		return nil
	}}

// ms writes a duration in milliseconds with one decimal, or, below
// 0.1 ms, to the microsecond ("0.042"): a measured wait never reads as
// "0.0", which would say it took no time at all.
func ms(d time.Duration) string {
	v := float64(d.Microseconds()) / 1000
	if d > 0 && d < 100*time.Microsecond {
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}
