package lessons

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// A connect whose SYNs are all dropped: the kernel sends the SYN again on
// a timer (TCP_INFO counts each one), SO_SNDTIMEO ends the call with
// EINPROGRESS (socket(7)), and the socket is still trying (SYN_SENT).
// Each resending is one packet more for the link to drop.
func TestTimeoutsSynDropped(t *testing.T) {
	needLossyNamespace(t)
	var res synResult
	withLab(t, func(l *lab) {
		var err error
		res, err = l.synDropped(context.Background(), 4*time.Second)
		if err != nil {
			t.Fatal(err)
		}
	})
	waitNamespaceGone(t, lossyResult{Namespace: res.Namespace, nsThread: res.nsThread})
	if !errors.Is(res.Err, unix.EINPROGRESS) {
		t.Errorf("connect with SO_SNDTIMEO returned %v; want EINPROGRESS", res.Err)
	}
	if res.State != "SYN_SENT" {
		t.Errorf("after connect gave up the socket is %q; want SYN_SENT", res.State)
	}
	if len(res.Sends) < 2 {
		t.Fatalf("%d retransmissions of the SYN seen in 4 s; want at least 2 (the first after the 1 s initial RTO)", len(res.Sends))
	}
	for i, s := range res.Sends {
		if s.Total != i+1 {
			t.Errorf("retransmission %d: tcpi_total_retrans %d (every one should be seen)", i+1, s.Total)
		}
		// The kernel's timer never shrinks while the SYNs go unanswered.
		if i > 0 && (s.RTO < res.Sends[i-1].RTO || s.Backoff < res.Sends[i-1].Backoff) {
			t.Errorf("retransmission %d: tcpi_rto %s, tcpi_backoff %d after %s, %d", i+1, s.RTO, s.Backoff, res.Sends[i-1].RTO, res.Sends[i-1].Backoff)
		}
	}
	if want := len(res.Sends) + 1; res.Dropped != want && res.Dropped != want+1 {
		t.Errorf("the link dropped %d packets; want the first SYN and its %d retransmissions", res.Dropped, len(res.Sends))
	}
	t.Logf("retransmissions %+v, intervals %v, connect %s ms: %v", res.Sends, res.Intervals(), ms(res.Elapsed), res.Err)
}

// Ctrl-C during the connect ends it at once, and leaves nothing behind.
func TestTimeoutsSynCancel(t *testing.T) {
	needLossyNamespace(t)
	var res synResult
	withLab(t, func(l *lab) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(300*time.Millisecond, cancel)
		var err error
		res, err = l.synDropped(ctx, time.Minute)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled connect returned %v", err)
		}
	})
	waitNamespaceGone(t, lossyResult{Namespace: res.Namespace, nsThread: res.nsThread})
}

// Without root there is no namespace to drop SYNs in: mode=auto says so
// and explains instead of failing; mode=explain always explains.
func TestTimeoutsSynFallback(t *testing.T) {
	s := NewSession(Config{}, nil)
	l := s.newLab()
	res, err := s.synTimeouts(context.Background(), l, time.Second, "explain")
	l.close()
	if err != nil || res.Path != "none" {
		t.Fatalf("mode=explain: %+v, %v", res, err)
	}
	if m := synMeasurement(res); len(m.Rows) != 1 || m.Rows[0].Key != "exp.timeouts.syn-none" {
		t.Errorf("mode=explain shows %+v", m.Rows)
	}
	if os.Getenv("SOCKSTEP_TEST_SYN_CHILD") == "" && os.Geteuid() == 0 {
		rerunAsNobody(t, "TestTimeoutsSynFallback", "SOCKSTEP_TEST_SYN_CHILD=1")
		return
	}
	if os.Geteuid() == 0 {
		t.Fatal("child still runs as root")
	}
	s = NewSession(Config{}, nil)
	l = s.newLab()
	defer l.close()
	res, err = s.synTimeouts(context.Background(), l, time.Second, "auto")
	if err != nil || res.Path != "none" || res.Reason == "" {
		t.Fatalf("unprivileged mode=auto: %+v, %v; want the explanation and its reason", res, err)
	}
}

// rerunAsNobody runs test name again in a child as uid 65534, from a copy
// of the test binary nobody may execute, and fails if it does not pass.
func rerunAsNobody(t *testing.T, name, env string) {
	t.Helper()
	rerunAsNobodyIn(t, name, env, 0)
}

// rerunAsNobodyIn is rerunAsNobody with clone flags for the child, such as
// CLONE_NEWNET for a network namespace of its own (made while the child
// is still root, before it becomes nobody).
func rerunAsNobodyIn(t *testing.T, name, env string, cloneflags uintptr) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "sockstep-nobody") // t.TempDir's parent is closed to nobody
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "lessons.test")
	data, err := os.ReadFile(exe)
	if err == nil {
		err = os.WriteFile(bin, data, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), bin, "-test.run=^"+name+"$", "-test.v")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}, Cloneflags: cloneflags}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("unprivileged child failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: "+name) {
		t.Fatalf("unprivileged child did not run the test:\n%s", out)
	}
}
