package verify

import (
	"fmt"
	"os"
	"time"

	"github.com/sockstep/sockstep/runner/verify/proc"
)

// tcp-server-poll: an echo server that serves several clients at once
// from one thread, with select, poll, epoll or Python's selectors. verify
// connects pollClients clients together, has them speak in an order no
// blocking server can follow (the last connected speaks first), lets one
// leave while the others stay, then has the rest speak again and leave.
// On Linux it also counts the program's threads while the clients are
// connected and after they have gone: a server whose threads come and go
// with its clients is a thread per client, not one thread.
var pollClients = []string{"A", "B", "C", "D", "E"}

// pollOrder is who speaks, in turn, in the first round: the last
// connected first, and never in the order of accept.
var pollOrder = []int{4, 0, 2, 1, 3}

// pollMessage is what client c says in round r.
func pollMessage(c, r int) []byte {
	if r == 0 && c == 2 {
		// More than one recv(1024) can take.
		return []byte(fmt.Sprintf("%s: %0*d", pollClients[c], 3000, 0))
	}
	return []byte(fmt.Sprintf("%s%d: 你好", pollClients[c], r+1))
}

// pollLeaver is the client that leaves after the first round.
const pollLeaver = 1

func init() {
	register(&exercise{
		id:         "tcp-server-poll",
		binds:      true,
		server:     true,
		decodeHint: "decode_error_echo",
		newPeer:    func() peer { return &pollingClients{} },
		want: func(o *Observation) Facts {
			var clients [][][]byte
			for c := range pollClients {
				msgs := [][]byte{pollMessage(c, 0)}
				if c != pollLeaver {
					msgs = append(msgs, pollMessage(c, 1))
				}
				clients = append(clients, msgs)
			}
			f := echoWant(clients)
			if o.Threads != "" {
				f.Threads = threadsSteady
			}
			return f
		},
		got: func(o *Observation) Facts {
			return Facts{Conns: connFacts(o), Exit: exitFact(o, true), Threads: o.Threads}
		},
		diagnose: diagnosePollServer,
	})
}

type pollingClients struct{}

func (p *pollingClients) setup(s *session) (int, error) { return 0, nil }
func (p *pollingClients) close()                        {}

func (p *pollingClients) play(s *session) {
	var cs []*tcpConn
	defer func() {
		for _, c := range cs {
			c.close()
		}
	}()
	base := -1
	for i := range pollClients {
		c := dial(s, i == 0)
		if c == nil {
			if i == 0 {
				s.gaveUp(waitBind)
			}
			return
		}
		cs = append(cs, c)
		if i == 0 {
			// The threads with one client: a thread-per-client server
			// grows by one for each client after this.
			base = groupThreads(s.obs.Pgid)
		}
	}
	// Round one, out of order: a server blocked on one client's recv
	// never answers the one speaking.
	for _, i := range pollOrder {
		c := cs[i]
		if !c.send(pollMessage(i, 0)) {
			return
		}
		if i != 0 {
			// A server serving one client at a time is still with
			// the first: it would never answer this one.
			s.shorten(c.c, concurrentWait)
		}
		if !c.readUntil(c.sent, idleWait) {
			if c.rec().Closed {
				s.obs.ClosedBeforeClientDone = true
			} else if i != 0 && !s.over() {
				s.obs.SecondClientWaited = true
				s.gaveUp(waitSecond)
			} else {
				s.gaveUp(waitEcho)
			}
			return
		}
		s.restore(c.c)
	}
	busy := groupThreads(s.obs.Pgid)
	// One leaves; the server must close it and go on with the others.
	l := cs[pollLeaver]
	l.closeWrite()
	if !l.readToEOF() {
		s.gaveUp(waitClose)
		return
	}
	for i, c := range cs {
		if i == pollLeaver {
			continue
		}
		if !c.send(pollMessage(i, 1)) || !c.readUntil(c.sent, idleWait) {
			echoFailed(s, c)
			return
		}
	}
	for i, c := range cs {
		if i == pollLeaver {
			continue
		}
		c.closeWrite()
		if !c.readToEOF() {
			s.gaveUp(waitClose)
			return
		}
	}
	s.obs.Threads = threadsFollowed(s, base, busy)
}

// threadsFollowed compares the program's threads while all the clients
// were connected (busy) with its threads when only the first was (base),
// and with its threads once they have all gone, waiting a moment for
// threads that are on their way out. Either change says a thread per
// client: the first alone, because a runtime may start threads of its own
// while the clients' threads end (Go replaces an exiting locked thread's
// work on another), so the fall after they leave can be smaller.
//
// A thread per client would add one thread for each client after the
// first, four with five clients; half of that is enough. A runtime with a
// pool of idle threads hands one to a new client instead of starting
// one: Go's thread-locked goroutines grew 3 to 6 threads in 24 runs here
// (3 in a quarter of them), while the single-threaded reference server
// grew none.
func threadsFollowed(s *session, base, busy int) Threads {
	if busy < 0 {
		return ""
	}
	enough := max((len(pollClients)-1)/2, 1)
	if base >= 0 && busy-base >= enough {
		return threadsPerClient
	}
	deadline := time.Now().Add(threadSettle)
	for {
		idle := groupThreads(s.obs.Pgid)
		if idle < 0 {
			return ""
		}
		if busy-idle >= enough {
			return threadsPerClient
		}
		if time.Now().After(deadline) {
			return threadsSteady
		}
		select {
		case <-s.ctx.Done():
			return ""
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// threadSettle is how long verify gives a thread-per-client server's
// threads to end after their clients left.
const threadSettle = 300 * time.Millisecond

// groupThreads counts the threads of every process in the program's
// process group (Linux: /proc/PID/task), -1 where it cannot.
func groupThreads(pgid int) int {
	members := proc.Members(pgid)
	if len(members) == 0 {
		return -1
	}
	n := 0
	for _, pid := range members {
		ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
		if err != nil {
			return -1
		}
		n += len(ents)
	}
	return n
}

func diagnosePollServer(o *Observation, want, got Facts) []Hint {
	switch {
	case o.Threads == threadsPerClient:
		return []Hint{hint("thread_per_client", len(pollClients))}
	case o.SecondClientWaited:
		return []Hint{hint("not_polled")}
	case o.Exit.Exited():
		served := 0
		for i, c := range got.Conns {
			if i < len(want.Conns) && c == want.Conns[i] {
				served++
			}
		}
		return []Hint{hint("server_exited", served)}
	}
	return diagnoseEchoServer(o, want, got)
}
