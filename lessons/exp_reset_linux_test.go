package lessons

import (
	"context"
	"testing"
)

// Keepalive is off on a new socket; its times come from the machine's
// sysctls (tcp(7)); once set they read back as set, and an idle
// connection is probed and answered.
func TestKeepaliveOptions(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.keepalive(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if res.Fresh[0] != 0 {
			t.Errorf("SO_KEEPALIVE is %d on a new socket, want 0", res.Fresh[0])
		}
		for i := range 3 {
			if res.Sysctl[i] >= 0 && res.Fresh[i+1] != res.Sysctl[i] {
				t.Errorf("keepalive option %d is %d, the sysctl %d", i+1, res.Fresh[i+1], res.Sysctl[i])
			}
		}
		if res.Set != [4]int{1, 1, 1, 3} {
			t.Errorf("read back %v, want [1 1 1 3]", res.Set)
		}
		if res.Probes < 1 || res.Answers < 1 || res.State != "ESTABLISHED" {
			t.Errorf("idle %s: %d probes, %d answers, %s; want probes answered and the connection alive", res.Idle, res.Probes, res.Answers, res.State)
		}
		t.Logf("%+v", res)
	})
}
