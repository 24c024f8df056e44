package lessons_test

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/sockstep/sockstep/lessons"
	"golang.org/x/sys/unix"
)

// With net.ipv4.ip_nonlocal_bind set, Linux binds any address (ip(7)), so
// a bind with expect=EADDRNOTAVAIL would succeed on a foreign address: it
// is refused before the call. The sysctl belongs to a network namespace;
// the test sets it in a child process's own namespace (root only; as an
// ordinary user, when user namespaces are allowed).
func TestBindExpectWithNonlocalBind(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	if os.Getenv("SOCKSTEP_TEST_NONLOCAL_CHILD") == "1" {
		if err := os.WriteFile("/proc/sys/net/ipv4/ip_nonlocal_bind", []byte("1"), 0); err != nil {
			t.Fatalf("cannot set ip_nonlocal_bind in the child's namespace: %v", err)
		}
		// First, that the kernel really binds the foreign address now.
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM, 0)
		if err != nil {
			t.Fatal(err)
		}
		err = unix.Bind(fd, &unix.SockaddrInet4{Port: 31999, Addr: [4]byte{192, 0, 2, 1}})
		unix.Close(fd)
		if err != nil {
			t.Fatalf("with ip_nonlocal_bind=1, bind(192.0.2.1) = %v; the test's premise fails", err)
		}
		s, ui := newSession(t, lessons.Config{})
		mustStep(t, s, "socket w udp")
		err = stepErr(t, s, "bind w addr=192.0.2.1:31999 expect=EADDRNOTAVAIL")
		if !errors.Is(err, lessons.ErrNotLocal) || len(ui.callsOf("w")) != 1 {
			t.Fatalf("bind with expect=EADDRNOTAVAIL under ip_nonlocal_bind: %v, calls %+v; want ErrNotLocal and no bind", err, ui.callsOf("w"))
		}
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), exe, "-test.run=^TestBindExpectWithNonlocalBind$", "-test.v")
	cmd.Env = append(os.Environ(), "SOCKSTEP_TEST_NONLOCAL_CHILD=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNET}
	if os.Geteuid() != 0 {
		cmd.SysProcAttr.Cloneflags |= syscall.CLONE_NEWUSER
		cmd.SysProcAttr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Geteuid(), Size: 1}}
		cmd.SysProcAttr.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getegid(), Size: 1}}
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok && os.Geteuid() != 0 {
			t.Skipf("not root, and user namespaces are not allowed here (%v): the sysctl cannot be set", err)
		}
		t.Fatalf("child in its own network namespace: %v\n%s", err, out)
	}
}
