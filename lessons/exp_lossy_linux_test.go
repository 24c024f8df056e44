package lessons

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/google/nftables"
)

// The real lossy link, in a private namespace: UDP loses some of its
// messages, TCP delivers every byte, retransmitting; the host's own
// nftables ruleset is untouched, and the namespace is gone afterwards.
func TestLossyLinkNamespace(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the namespace path needs Linux and root (CI here is root); the relay path is tested below")
	}
	host, err := nftables.New()
	if err != nil {
		t.Skipf("nftables unavailable: %v", err)
	}
	before, err := host.ListTables()
	if err != nil {
		t.Skipf("cannot list the host's nftables tables: %v", err)
	}
	var id string
	withLab(t, func(l *lab) {
		res, err := l.lossyNetns(context.Background(), 5, 1000)
		if errors.Is(err, errNoNamespace) {
			t.Skipf("no namespace on this machine: %v", err)
		}
		if err != nil {
			t.Fatal(err)
		}
		id = res.Namespace
		if res.UDPReceived >= res.Count || res.UDPReceived < res.Count/2 {
			t.Errorf("UDP: %d of %d arrived; with 5%% loss, want some lost, most not", res.UDPReceived, res.Count)
		}
		if res.TCPBytes != res.Count*lossyMessageSize {
			t.Errorf("TCP: %d of %d bytes arrived; TCP must deliver them all", res.TCPBytes, res.Count*lossyMessageSize)
		}
		if res.TCPRetrans <= 0 {
			t.Errorf("TCP retransmitted %d segments over a lossy link", res.TCPRetrans)
		}
		t.Logf("UDP %d/%d; TCP all in %s, %d retransmissions", res.UDPReceived, res.Count, res.TCPTime, res.TCPRetrans)
	})
	// The thread that made the namespace ends with its goroutine; the
	// runtime takes a moment to reap it.
	deadline := time.Now().Add(3 * time.Second)
	for !namespaceGone(id) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !namespaceGone(id) {
		t.Errorf("a thread of this process is still in the lesson's namespace %s", id)
	}
	after, err := host.ListTables()
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("the host had %d nftables tables, now %d", len(before), len(after))
	}
	for _, tb := range after {
		if tb.Name == "sockstep" {
			t.Errorf("the lesson's table appeared in the host's namespace")
		}
	}
}

// Ctrl-C in the middle: the experiment stops, every socket is closed (so
// the namespace and its rule go with them), and no thread stays in it.
func TestLossyLinkInterrupted(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the namespace path needs root")
	}
	var id string
	withLab(t, func(l *lab) {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		res, err := l.lossyNetns(ctx, 5, 100000)
		if errors.Is(err, errNoNamespace) {
			t.Skipf("no namespace on this machine: %v", err)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("interrupted run returned %v, want the context's error", err)
		}
		id = res.Namespace
	})
	deadline := time.Now().Add(3 * time.Second)
	for !namespaceGone(id) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if id == "" || !namespaceGone(id) {
		t.Errorf("namespace %q: still in use after an interrupted run", id)
	}
}
