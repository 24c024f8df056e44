package lessons

import (
	"context"
	"fmt"
	"strconv"
	"time"

	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// The accept queue: a listening socket completes handshakes on its own and
// queues the connections until accept takes them, up to its backlog (Linux
// holds backlog+1). Once the queue is full, a new client's SYN is dropped
// without an answer, and that client stays in SYN_SENT, retrying.

// backlogResult is the queue after clients called a server that never
// accepts.
type backlogResult struct {
	Backlog int
	Clients int
	Queued  int      // the listener's accept queue (TCP_INFO)
	States  []string // each client's state, in order of connecting
}

// count returns how many clients are in state st.
func (r backlogResult) count(st string) int {
	n := 0
	for _, s := range r.States {
		if s == st {
			n++
		}
	}
	return n
}

// fillBacklog connects clients, one after another and without blocking,
// to a listener that never calls accept.
func (l *lab) fillBacklog(ctx context.Context, backlog, clients int) (backlogResult, error) {
	res := backlogResult{Backlog: backlog, Clients: clients}
	lfd, addr, err := l.listener(backlog)
	if err != nil {
		return res, err
	}
	sa := &unix.SockaddrInet4{Addr: addr.Addr().As4(), Port: int(addr.Port())}
	var fds []int
	for i := 0; i < clients; i++ {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		fd, err := l.socket(TCP)
		if err != nil {
			return res, err
		}
		if err := unix.SetNonblock(fd, true); err != nil {
			return res, err
		}
		if err := unix.Connect(fd, sa); err != nil && err != unix.EINPROGRESS {
			return res, fmt.Errorf("connect: %w", err)
		}
		fds = append(fds, fd)
		// Let this handshake finish (or its SYN be dropped) before the
		// next client dials, so the order is the order of the queue.
		deadline := time.Now().Add(200 * time.Millisecond)
		for tcpState(fd) == "SYN_SENT" && time.Now().Before(deadline) {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	for _, fd := range fds {
		res.States = append(res.States, tcpState(fd))
		l.show(Client, fmt.Sprintf("connect(%d, %s)", fd, addr), "-1 EINPROGRESS", nil, nil)
	}
	res.Queued = acceptQueue(lfd)
	return res, nil
}

var backlogExperiment = &Spec{Action: "backlog",
	Example: "experiment backlog backlog=1 clients=4",
	Params: []Param{
		// backlog=0 would be allowed by listen(2); the lessons start at 1.
		{Name: "backlog", Default: "1", Min: 1, Max: 16},
		{Name: "clients", Default: "4", Min: 1, Max: 32},
	},
	preview: func(s *Session, a args) string {
		return fmt.Sprintf("listen(srv, %s)\nconnect(c1, srv) … connect(c%s, srv)   # O_NONBLOCK", a.get("backlog"), a.get("clients"))
	},
	run: func(ctx context.Context, s *Session, a args) error {
		backlog, clients := a.int("backlog"), a.int("clients")
		l := s.newLab()
		defer l.close()
		res, err := l.fillBacklog(ctx, backlog, clients)
		if err != nil {
			return err
		}
		var rows []Row
		for i, st := range res.States {
			rows = append(rows, Row{Key: "exp.backlog.client", Args: []any{i + 1, st}})
		}
		rows = append(rows, []Row{
			{Key: "exp.backlog.queue", Args: []any{res.Queued, res.Backlog}},
			{Key: "exp.backlog.established", Args: []any{res.count("ESTABLISHED"), res.Clients}},
			{Key: "exp.backlog.synsent", Args: []any{res.count("SYN_SENT")}},
		}...)
		s.measure(Measurement{Title: "exp.backlog.title", Rows: rows, Values: map[string]string{
			"queued": strconv.Itoa(res.Queued), "synsent": strconv.Itoa(res.count("SYN_SENT")),
		}})
		return nil
	}}
