package lessons_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockstep/sockstep/lessons"
)

const nobody = 65534

// asNobody runs this test binary again as user nobody, in the role
// given ("listen PORT" or "connect PORT"), and waits until the child
// holds its socket: a socket of another user of this machine. Only root
// can start it; CI runs as root.
func asNobody(t *testing.T, test, role string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to start a process as another user (CI runs as root)")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// The binary sits in a directory only root may enter: nobody runs a
	// copy from a directory of its own.
	dir, err := os.MkdirTemp("", "sockstep-nobody")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "lessons.test")
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "-test.run=^"+test+"$")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SOCKSTEP_TEST_NOBODY="+role)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start the test binary as nobody: %v", err)
	}
	t.Cleanup(func() { stdin.Close(); cancel(); cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- l
	}()
	select {
	case l := <-line:
		if strings.TrimSpace(l) != "ready" {
			t.Fatalf("nobody's socket: the child said %q", l)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("nobody's socket: the child never got ready")
	}
}

// nobodyChild is the child's side of asNobody: it opens its socket, says
// ready, and keeps it until its standard input closes. It reports whether
// this process is such a child.
func nobodyChild() bool {
	role := os.Getenv("SOCKSTEP_TEST_NOBODY")
	if role == "" {
		return false
	}
	var what, port string
	fmt.Sscan(role, &what, &port)
	var c io.Closer
	var err error
	switch what {
	case "listen":
		c, err = net.Listen("tcp4", "127.0.0.1:"+port)
	case "connect":
		c, err = net.Dial("tcp4", "127.0.0.1:"+port)
	}
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
	c.Close()
	return true
}

func freeTCPPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestChoosePortShared plays two people on one machine: while another
// user's socket holds the default port, the lesson moves to this user's
// own port; a socket of this user there (the other terminal of a pair)
// keeps it; a free port keeps it.
func TestChoosePortShared(t *testing.T) {
	if nobodyChild() {
		return
	}
	base := freeTCPPort(t)
	uid := os.Getuid()
	if p, shared := lessons.ChoosePort(base, uid); p != base || shared {
		t.Errorf("free port: choosePort = %d, %v; want %d, false", p, shared, base)
	}
	own, err := net.ListenPacket("udp4", fmt.Sprintf("127.0.0.1:%d", base))
	if err != nil {
		t.Fatal(err)
	}
	if p, shared := lessons.ChoosePort(base, uid); p != base || shared {
		t.Errorf("our own socket on the port: choosePort = %d, %v; want %d, false", p, shared, base)
	}
	own.Close()
	asNobody(t, "TestChoosePortShared", fmt.Sprint("listen ", base))
	p, shared := lessons.ChoosePort(base, uid)
	if p != lessons.UserPort(uid) || !shared {
		t.Errorf("another user's socket on the port: choosePort = %d, %v; want %d, true", p, shared, lessons.UserPort(uid))
	}
	if p < 1024 || p >= 32768 {
		t.Errorf("the user's port %d is outside 1024–32767 (privileged or ephemeral)", p)
	}
}

// TestForeignCaller accepts a connection from another user's program and
// expects the session to say whose it is; a caller of our own says
// nothing.
func TestForeignCaller(t *testing.T) {
	if nobodyChild() {
		return
	}
	s, ui := newSession(t, lessons.Config{})
	mustStep(t, s, "socket srv tcp", "bind srv", "listen srv")
	port := factsOf(t, s, "srv").Local.Port()
	asNobody(t, "TestForeignCaller", fmt.Sprint("connect ", port))
	mustStep(t, s, "accept srv as=conn")
	if len(ui.notesWith("session.foreign-caller")) != 1 {
		t.Errorf("a caller of user nobody was accepted without a word")
	}
	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	mustStep(t, s, "accept srv as=own")
	if n := len(ui.notesWith("session.foreign-caller")); n != 1 {
		t.Errorf("our own caller was said to belong to another user (%d notes)", n)
	}
}
