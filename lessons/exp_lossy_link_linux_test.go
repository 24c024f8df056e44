package lessons

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/nftables"
	"github.com/sockstep/sockstep/lessons/sockettest"
	"golang.org/x/sys/unix"
)

// needLossyNamespace skips a test that needs the real lossy link where the
// machine does not allow it, saying why.
func needLossyNamespace(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("the namespace path needs root (CI here is root); the relay path is tested by TestLossyLinkRelay")
	}
	link, err := newLossyLink(1, nil, nil)
	if err != nil {
		t.Skipf("no private namespace with nftables on this machine (%v); the relay path is tested by TestLossyLinkRelay", err)
	}
	unix.Close(link.NS)
	waitNamespaceGone(t, lossyResult{Namespace: link.ID, nsThread: link.Gone})
}

// hostState is what the lesson must leave alone in the machine's own
// network namespace: its nftables ruleset (tables, chains, rules), lo's
// MTU, and the autocorking setting the lesson changes inside its own.
func hostState(t *testing.T) []string {
	t.Helper()
	c, err := nftables.New()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	tables, err := c.ListTables()
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		out = append(out, fmt.Sprintf("table %d %s", tb.Family, tb.Name))
	}
	chains, err := c.ListChains()
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range chains {
		rules, err := c.GetRules(ch.Table, ch)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("chain %d %s %s: %d rules", ch.Table.Family, ch.Table.Name, ch.Name, len(rules)))
	}
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		t.Fatal(err)
	}
	cork, err := os.ReadFile("/proc/sys/net/ipv4/tcp_autocorking")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return append(out, fmt.Sprintf("lo mtu %d flags %v", lo.MTU, lo.Flags), "tcp_autocorking "+string(cork),
		"threads in "+strings.Join(threadNamespaces(t), " "))
}

// threadNamespaces lists the network namespaces this process's threads
// are in: the main thread's first (it is what /proc/net shows), then the
// others, once each.
func threadNamespaces(t *testing.T) []string {
	t.Helper()
	main, err := os.Readlink("/proc/self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Fatal(err)
	}
	var others []string
	for _, task := range tasks {
		if l, err := os.Readlink("/proc/self/task/" + task.Name() + "/ns/net"); err == nil && l != main && !slices.Contains(others, l) {
			others = append(others, l)
		}
	}
	slices.Sort(others)
	return append([]string{"main " + main}, others...)
}

// waitNamespaceGone waits for the goroutine that made the namespace to
// return, then for its thread to end: nothing of this process holds the
// namespace any more.
func waitNamespaceGone(t *testing.T, res lossyResult) {
	t.Helper()
	if res.Namespace == "" || res.nsThread == nil {
		t.Fatalf("no namespace was made: %+v", res)
	}
	select {
	case <-res.nsThread:
	case <-time.After(5 * time.Second):
		t.Fatalf("the goroutine that made namespace %s has not returned", res.Namespace)
	}
	deadline := time.Now().Add(5 * time.Second)
	for namespaceHeld(res.Namespace) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if namespaceHeld(res.Namespace) {
		t.Errorf("a thread or a descriptor of this process still holds the lesson's namespace %s", res.Namespace)
	}
}

// The real lossy link, in a private namespace: UDP loses some of its
// messages, exactly those the link dropped, without a word; TCP delivers
// every byte, in order, retransmitting. The host's ruleset and settings
// are untouched, no descriptor is left, and nothing holds the namespace
// afterwards (so the kernel removes it).
func TestLossyLinkNamespace(t *testing.T) {
	needLossyNamespace(t)
	for _, proto := range []Proto{UDP, TCP} {
		t.Run(string(proto), func(t *testing.T) {
			host, fds := hostState(t), sockettest.FDs(t)
			var res lossyResult
			withLab(t, func(l *lab) {
				var err error
				res, err = l.lossyNetns(context.Background(), proto, 5, 1000)
				if err != nil {
					t.Fatal(err)
				}
			})
			if res.Path != "netns" || res.Proto != proto {
				t.Errorf("path %q, proto %q", res.Path, res.Proto)
			}
			if res.Dropped <= 0 {
				t.Errorf("the drop rule's counter says %d packets dropped", res.Dropped)
			}
			switch proto {
			case UDP:
				if res.Received >= res.Count || res.Received < res.Count/2 {
					t.Errorf("%d of %d datagrams arrived; at 5%% loss, want some lost, most not", res.Received, res.Count)
				}
				if len(res.Lost) != res.Count-res.Received || res.Dropped != len(res.Lost) {
					t.Errorf("%d sent, %d received, %d missing, %d dropped by the link", res.Count, res.Received, len(res.Lost), res.Dropped)
				}
				t.Logf("UDP: %d of %d arrived, the link dropped %d", res.Received, res.Count, res.Dropped)
			case TCP:
				if want := res.Count * lossyMessageSize; res.Bytes != want || !res.InOrder {
					t.Errorf("%d of %d bytes arrived (in order: %v); TCP must deliver them all, in order", res.Bytes, want, res.InOrder)
				}
				if res.Retrans <= 0 {
					t.Errorf("TCP retransmitted %d segments over a link that dropped %d of its packets", res.Retrans, res.Dropped)
				}
				t.Logf("TCP: every byte in %s; %d packets dropped, %d segments resent, %d sent", res.Elapsed, res.Dropped, res.Retrans, res.Segments)
			}
			leftNothing(t, res, host, fds)
		})
	}
}

// Ctrl-C in the middle: the experiment stops at once with the context's
// error, every descriptor is closed (so the namespace and its rule go
// with them), and nothing holds the namespace.
func TestLossyLinkInterrupted(t *testing.T) {
	needLossyNamespace(t)
	for _, proto := range []Proto{UDP, TCP} {
		t.Run(string(proto), func(t *testing.T) {
			host, fds := hostState(t), sockettest.FDs(t)
			var res lossyResult
			withLab(t, func(l *lab) {
				ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
				defer cancel()
				var err error
				res, err = l.lossyNetns(ctx, proto, 5, 100000)
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("interrupted run returned %v, want the context's error", err)
				}
			})
			leftNothing(t, res, host, fds)
		})
	}
}

// No thread is ever left in a lesson's namespace, the main thread least of
// all: the Go runtime cannot end it, and /proc/net shows its namespace.
// The scheduler may hand the namespace's goroutine any thread, so try
// many times.
func TestLossyLinkLeavesEveryThreadHome(t *testing.T) {
	needLossyNamespace(t)
	before := threadNamespaces(t)
	for i := 0; i < 30; i++ {
		link, err := newLossyLink(1, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		unix.Close(link.NS)
		waitNamespaceGone(t, lossyResult{Namespace: link.ID, nsThread: link.Gone})
	}
	if after := threadNamespaces(t); !slices.Equal(after, before) {
		t.Errorf("threads' namespaces: %q before, %q after", before, after)
	}
}

// Where the machine allows the namespace, mode=auto takes it.
func TestLossyLinkAutoTakesNamespace(t *testing.T) {
	needLossyNamespace(t)
	s := NewSession(Config{}, nil)
	res, err := s.lossyLink(context.Background(), UDP, 5, 200, "auto")
	if err != nil {
		t.Fatal(err)
	}
	if res.Path != "netns" {
		t.Errorf("mode=auto took the %s path on a machine that allows the namespace", res.Path)
	}
	waitNamespaceGone(t, res)
}

// leftNothing checks what a run must leave behind: no namespace held, no
// descriptor open, the machine's own network as it was.
func leftNothing(t *testing.T, res lossyResult, host []string, fds int) {
	t.Helper()
	waitNamespaceGone(t, res)
	if after := sockettest.FDs(t); after != fds {
		t.Errorf("descriptors: %d before, %d after", fds, after)
	}
	if after := hostState(t); !slices.Equal(after, host) {
		t.Errorf("the machine's own network changed:\nbefore %q\nafter  %q", host, after)
	}
}
