package lessons

import (
	"testing"
	"time"

	"github.com/sockstep/sockstep/lessons/wire"
)

// capturedNamespaceSession is a session with a packet capture, where a
// private network namespace can be made (root); closed when t ends.
func capturedNamespaceSession(t *testing.T) *Session {
	t.Helper()
	needLossyNamespace(t)
	c, err := wire.Open(wire.Options{Snap: wire.HeaderSnap})
	if err != nil {
		t.Fatal(err)
	}
	s := NewSession(Config{Wire: c}, nil)
	t.Cleanup(func() {
		s.Close()
		c.Close()
	})
	return s
}

// TestLossyLinkCaptured: with a capture, the lossy link's packets are
// captured inside its own namespace, and the TCP segments the capture saw
// carrying data already sent are the retransmissions both kernels count
// (tcpi_total_retrans), give or take a resend the counter leaves out: the drop rule is on the input hook, after the
// capture has seen each packet leave, and segmentation offload is off, so
// each resent segment is one packet.
func TestLossyLinkCaptured(t *testing.T) {
	s := capturedNamespaceSession(t)
	for _, proto := range []Proto{TCP, UDP} {
		l := s.newLab()
		res, err := l.lossyNetns(t.Context(), proto, 5, 1000)
		l.close()
		if err != nil {
			t.Fatal(err)
		}
		waitNamespaceGone(t, res)
		if proto == UDP {
			if res.Captured != res.Count {
				t.Errorf("UDP: captured %d datagrams leaving, sent %d", res.Captured, res.Count)
			}
			continue
		}
		if res.Retrans < 0 || res.CapturedRetrans < 0 {
			t.Fatalf("no counts: kernel %d, capture %d", res.Retrans, res.CapturedRetrans)
		}
		// Equal in 70 of 71 runs here; once, under a load average of
		// 20, the capture counted one more (41 against 40). The capture
		// counts every segment whose sequence space was sent before;
		// tcpi_total_retrans counts the kernel's retransmissions, and
		// some resend is left out of it (a tail loss probe is the likely
		// one; not pinned down). Never fewer: every retransmission the
		// kernel counts leaves through the capture.
		if res.CapturedRetrans < res.Retrans || res.CapturedRetrans > res.Retrans+2 {
			t.Errorf("the capture saw %d segments sent again, the kernels counted %d retransmissions", res.CapturedRetrans, res.Retrans)
		}
		t.Logf("TCP over a 5%% lossy link: %d packets captured, %d retransmissions (the kernels: %d)", res.Captured, res.CapturedRetrans, res.Retrans)
	}
	s.wireStep(0)
	n := 0
	for _, e := range s.Timeline() {
		if e.Kind == EventWire || e.Kind == EventWireMore {
			n++
		}
	}
	if n == 0 {
		t.Error("the namespace's packets did not join the step")
	}
}

// TestTimeoutsSynCaptured: with a capture, the dropped SYNs of the
// timeouts lesson are captured inside its namespace: every SYN the drop
// rule counted left through the capture first (input hook), and the ones
// sent again are the retransmissions TCP_INFO counted.
func TestTimeoutsSynCaptured(t *testing.T) {
	s := capturedNamespaceSession(t)
	l := s.newLab()
	res, err := l.synDropped(t.Context(), 3*time.Second)
	l.close()
	if err != nil {
		t.Fatal(err)
	}
	waitNamespaceGone(t, lossyResult{Namespace: res.Namespace, nsThread: res.nsThread})
	if res.Captured != res.Dropped || res.CapturedRetrans != len(res.Sends) || res.Captured != res.CapturedRetrans+1 {
		t.Errorf("captured %d SYNs, %d sent again; the drop rule dropped %d, TCP_INFO counted %d retransmissions", res.Captured, res.CapturedRetrans, res.Dropped, len(res.Sends))
	}
	s.wireStep(0)
	syns := 0
	for _, e := range s.Timeline() {
		if e.Kind == EventWire && e.Wire.Flags == "SYN" {
			syns++
		}
	}
	if syns != res.Captured {
		t.Errorf("%d SYNs joined the step's timeline, %d captured", syns, res.Captured)
	}
}
