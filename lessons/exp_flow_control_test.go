package lessons

import (
	"context"
	"runtime"
	"testing"
)

// A receiver that never reads: send ends up refused (EAGAIN) while both
// queues hold data, and every byte sent is in one queue or the other.
// Once the receiver reads, the sender moves again.
func TestTCPWindowCloses(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("queue lengths are read with Linux's SIOCINQ and SIOCOUTQ")
	}
	withLab(t, func(l *lab) {
		res, err := l.tcpWindow(context.Background(), 32<<10, 4096)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Blocked || res.RecvQ <= 0 || res.SendQ <= 0 {
			t.Fatalf("send blocked %v with receive queue %d and send queue %d; want EAGAIN with both non-zero", res.Blocked, res.RecvQ, res.SendQ)
		}
		if res.RecvQ+res.SendQ != res.Sent {
			t.Errorf("%d bytes sent, but %d + %d queued: a byte went missing", res.Sent, res.RecvQ, res.SendQ)
		}
		for i := 1; i < len(res.Samples); i++ {
			if res.Samples[i].RecvQ+res.Samples[i].SendQ < res.Samples[i-1].RecvQ+res.Samples[i-1].SendQ {
				t.Errorf("queues shrank while nobody read: %+v", res.Samples)
			}
		}
		if res.Drained != res.Sent || res.SentAfter <= 0 {
			t.Errorf("after reading %d of %d bytes, send took %d", res.Drained, res.Sent, res.SentAfter)
		}
	})
}

// A UDP receiver that does not keep up loses datagrams, and the kernel
// counts each one it dropped.
func TestUDPOverflowLoses(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.udpOverflow(context.Background(), 2000, 200, 16<<10)
		if err != nil {
			t.Fatal(err)
		}
		if res.Received == 0 || res.Received >= res.Sent {
			t.Fatalf("%d sent, %d received; want some, not all", res.Sent, res.Received)
		}
		if runtime.GOOS == "linux" {
			if res.SocketDrops != res.Sent-res.Received {
				t.Errorf("socket drop counter %d, want %d (sent − received)", res.SocketDrops, res.Sent-res.Received)
			}
			if res.RcvbufErrors >= 0 && res.RcvbufErrors < res.SocketDrops {
				t.Errorf("the machine-wide RcvbufErrors grew by %d, less than this socket's %d drops", res.RcvbufErrors, res.SocketDrops)
			}
		}
	})
}
