//go:build !windows

package lessons_test

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
	"golang.org/x/sys/unix"
)

func TestBindUDP(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, "socket rx udp", "bind rx")
	k := s.Socket("rx")
	want := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(s.Config().Port))
	if k.Local != want || k.Side != lessons.Server {
		t.Errorf("after bind: local %s, side %q; want %s, server", k.Local, k.Side, want)
	}
	c := ui.lastCall(t, "rx", "bind")
	if c.Text != fmt.Sprintf("bind(%d, %s)", k.FD, want) || c.Ret != "0" || c.Err != nil || c.Side != lessons.Server {
		t.Errorf("bind call = %+v", c)
	}
	f := ui.lastFacts(t, "rx")
	if f.Local != want || f.Remote.IsValid() || f.State != "" {
		t.Errorf("facts after bind = %+v, want local %s, no peer, no TCP state", f, want)
	}
}

// port=0 lets the kernel choose; the facts show the port it chose.
func TestBindPortZero(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, "socket rx udp", "bind rx port=0")
	f := ui.lastFacts(t, "rx")
	if f.Local.Port() == 0 || f.Local.Addr() != netip.MustParseAddr("127.0.0.1") {
		t.Errorf("local address after bind port=0: %s", f.Local)
	}
	if c := ui.lastCall(t, "rx", "bind"); !strings.HasSuffix(c.Text, "127.0.0.1:0)") {
		t.Errorf("bind call shows %q, want the address asked for", c.Text)
	}
}

func TestBindErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		remote bool // Config.AllowRemote
		setup  []string
		step   string
		// want is the error the step returns: a sentinel, an errno, or
		// nil when the lesson expected the failure.
		want     error
		expected bool // the bind call is marked Expected
		noCall   bool // refused before any system call
	}{
		{name: "second bind to the same port",
			setup: []string{"socket a udp", "bind a port={port}", "socket b udp"},
			step:  "bind b port={port}", want: unix.EADDRINUSE},
		{name: "second bind, expected",
			setup: []string{"socket a udp", "bind a port={port}", "socket b udp"},
			step:  "bind b port={port} expect=EADDRINUSE", want: nil, expected: true},
		{name: "second bind, another errno expected",
			setup: []string{"socket a udp", "bind a port={port}", "socket b udp"},
			step:  "bind b port={port} expect=EACCES", want: unix.EADDRINUSE},
		{name: "TCP second bind",
			setup: []string{"socket a tcp", "bind a port={port}", "listen a", "socket b tcp"},
			step:  "bind b port={port}", want: unix.EADDRINUSE},
		{name: "binding twice",
			setup: []string{"socket a udp", "bind a port=0"},
			step:  "bind a port=0", want: unix.EINVAL},
		{name: "address not ours, expected",
			setup: []string{"socket w udp"},
			step:  "bind w addr=192.0.2.1:{port} expect=EADDRNOTAVAIL", want: nil, expected: true},
		{name: "address not ours, classroom opt-in", remote: true,
			setup: []string{"socket w udp"},
			step:  "bind w addr=192.0.2.1:{port}", want: unix.EADDRNOTAVAIL},
		{name: "address not ours, no opt-in",
			setup: []string{"socket w udp"},
			step:  "bind w addr=192.0.2.1:{port}", want: lessons.ErrNotLocal, noCall: true},
		{name: "wildcard, no opt-in",
			setup: []string{"socket w udp"},
			step:  "bind w addr=0.0.0.0:{port}", want: lessons.ErrNotLocal, noCall: true},
		{name: "port out of range",
			setup: []string{"socket w udp"},
			step:  "bind w port=65536", want: lessons.ErrBadPort, noCall: true},
		{name: "port not a number",
			setup: []string{"socket w udp"},
			step:  "bind w port=seven", want: lessons.ErrBadPort, noCall: true},
		{name: "addr not HOST:PORT",
			setup: []string{"socket w udp"},
			step:  "bind w addr=127.0.0.1", want: lessons.ErrBadHost, noCall: true},
		{name: "IPv6 address on an IPv4 socket",
			setup: []string{"socket w udp family=4"},
			step:  "bind w addr=[::1]:{port}", want: lessons.ErrFamily, noCall: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if strings.Contains(tt.step, "192.0.2.1") && tt.want != lessons.ErrNotLocal {
				requireForeignAddrFails(t)
			}
			s, ui := newSession(t, lessons.Config{AllowRemote: tt.remote})
			port := sockettest.FreePort(t)
			mustStep(t, s, withPort(port, tt.setup...)...)
			d := directive(t, withPort(port, tt.step)[0])
			name := d.Pos[0]
			before := ui.callsOf(name)
			err := s.RunStep(stepCtx(t), directives(t, withPort(port, tt.step)...))
			switch {
			case tt.want == nil && err != nil:
				t.Fatalf("step failed: %v", err)
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			var errno unix.Errno
			if errors.As(tt.want, &errno) && lessons.ErrnoOf(err) != errno {
				t.Errorf("ErrnoOf(%v) = %v, want %v", err, lessons.ErrnoOf(err), errno)
			}
			after := ui.callsOf(name)
			if tt.noCall {
				if len(after) != len(before) {
					t.Errorf("a call was made although the step is refused first: %+v", after[len(before):])
				}
				return
			}
			c := ui.lastCall(t, name, "bind")
			if c.Expected != tt.expected {
				t.Errorf("call %q: Expected = %v, want %v (err %v)", c.Text, c.Expected, tt.expected, c.Err)
			}
			if tt.expected && lessons.ErrnoOf(c.Err) == 0 {
				t.Errorf("an expected failure is still reported with its errno; got %v", c.Err)
			}
			if c.Err != nil && s.Socket(name).Side != lessons.NoSide && name != "a" {
				t.Errorf("a failed bind gave socket %s the side %q", name, s.Socket(name).Side)
			}
		})
	}
}

// A lesson that expects an error, and does not get it, says so.
func TestBindExpectedButSucceeded(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, "socket a udp", "bind a port=0 expect=EADDRINUSE")
	ns := ui.notesWith("step.expected-but-ok")
	if len(ns) != 1 || fmt.Sprint(ns[0].Args...) != "EADDRINUSE" {
		t.Errorf("notes = %+v, want one step.expected-but-ok naming EADDRINUSE", ns)
	}
	if c := ui.lastCall(t, "a", "bind"); c.Err != nil || c.Expected {
		t.Errorf("bind call = %+v, want a plain success", c)
	}
}

// expect= lets a lesson bind an address that is not ours to show
// EADDRNOTAVAIL. It must not become a way around the loopback rule: an
// address this machine does own (the wildcard, always), and an address
// Linux's bind accepts without owning it (multicast, broadcast, 0.0.0.0/8),
// must still need the classroom opt-in, and no bind is made.
func TestBindExpectIsNoWayAroundLoopback(t *testing.T) {
	t.Parallel()
	tests := []struct{ socket, step string }{
		{"socket w udp", "bind w addr=0.0.0.0:{port} expect=EADDRINUSE"},
		{"socket w udp", "bind w addr=0.0.0.0:{port} expect=EADDRNOTAVAIL"},
		{"socket w udp", "bind w addr=224.0.0.1:{port} expect=EADDRNOTAVAIL"},
		{"socket w udp", "bind w addr=239.255.0.1:{port} expect=EADDRNOTAVAIL"},
		{"socket w udp", "bind w addr=255.255.255.255:{port} expect=EADDRNOTAVAIL"},
		{"socket w udp", "bind w addr=0.1.2.3:{port} expect=EADDRNOTAVAIL"},
		{"socket w udp", "bind w addr=169.254.1.1:{port} expect=EADDRNOTAVAIL"},
		{"socket w udp family=6", "bind w addr=[ff02::1]:{port} expect=EADDRNOTAVAIL"},
		{"socket w udp family=6", "bind w addr=[fe80::1]:{port} expect=EADDRNOTAVAIL"},
		{"socket w udp family=6", "bind w addr=[::]:{port} expect=EADDRNOTAVAIL"},
	}
	for _, tt := range tests {
		t.Run(tt.step, func(t *testing.T) {
			t.Parallel()
			s, ui := newSession(t, lessons.Config{})
			mustStep(t, s, tt.socket)
			err := stepErr(t, s, withPort(sockettest.FreePort(t), tt.step)...)
			if !errors.Is(err, lessons.ErrNotLocal) {
				t.Errorf("error = %v, want ErrNotLocal", err)
			}
			if k := s.Socket("w"); k.Local.Port() != 0 && !k.Local.Addr().IsLoopback() {
				t.Errorf("without --host, socket w was bound to %s (err %v); want ErrNotLocal and no bind", k.Local, err)
			}
			if calls := ui.callsOf("w"); len(calls) != 1 {
				t.Errorf("calls on w = %+v, want only socket(): the bind is refused before it is made", calls)
			}
		})
	}
}

// Ports below 1024 need privilege. Root has it, so as root the test runs
// the bind in a child process as an unprivileged user when it can.
func TestBindPrivilegedPort(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	const port = 1 // tcpmux: never in use
	if data, err := os.ReadFile("/proc/sys/net/ipv4/ip_unprivileged_port_start"); err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil && n <= port {
			t.Skipf("ip_unprivileged_port_start is %d: any user may bind port %d here, so there is no EACCES to show", n, port)
		}
	}
	if os.Getenv("SOCKSTEP_TEST_EACCES_CHILD") == "1" {
		if os.Geteuid() == 0 {
			t.Fatal("child still runs as root")
		}
		s, ui := newSession(t, lessons.Config{})
		mustStep(t, s, "socket low udp")
		err := stepErr(t, s, "bind low port=1")
		if lessons.ErrnoOf(err) != unix.EACCES {
			t.Fatalf("bind to port 1 as uid %d: %v, want EACCES", os.Geteuid(), err)
		}
		mustStep(t, s, "bind low port=1 expect=EACCES")
		if c := ui.lastCall(t, "low", "bind"); !c.Expected {
			t.Errorf("bind with expect=EACCES not marked expected: %+v", c)
		}
		return
	}
	if os.Geteuid() != 0 {
		s, _ := newSession(t, lessons.Config{})
		mustStep(t, s, "socket low udp")
		if err := stepErr(t, s, "bind low port=1"); lessons.ErrnoOf(err) != unix.EACCES {
			t.Fatalf("bind to port 1 as uid %d: %v, want EACCES", os.Geteuid(), err)
		}
		return
	}
	// Root: run this test again as nobody, from a copy of the test binary
	// that nobody may execute.
	exe, err := os.Executable()
	if err != nil {
		t.Skipf("running as root, and cannot find the test binary to rerun unprivileged (%v); EACCES is shown only to non-root users", err)
	}
	dir, err := os.MkdirTemp("", "sockstep-eacces")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "lessons.test")
	err = os.Link(exe, bin) // the binary itself is world-executable; its directory is not
	if err != nil {
		var data []byte
		if data, err = os.ReadFile(exe); err == nil {
			err = os.WriteFile(bin, data, 0o755)
		}
	}
	if err == nil {
		err = os.Chmod(bin, 0o755)
	}
	if err == nil {
		err = os.Chmod(dir, 0o755)
	}
	if err != nil {
		t.Skipf("running as root, and cannot copy the test binary for an unprivileged rerun (%v); EACCES is shown only to non-root users", err)
	}
	cmd := exec.CommandContext(t.Context(), bin, "-test.run=^TestBindPrivilegedPort$", "-test.v")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SOCKSTEP_TEST_EACCES_CHILD=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Skipf("running as root, and cannot start an unprivileged child (%v); EACCES is shown only to non-root users", err)
		}
		t.Fatalf("unprivileged child failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestBindPrivilegedPort") {
		t.Fatalf("unprivileged child did not run the test:\n%s", out)
	}
}
