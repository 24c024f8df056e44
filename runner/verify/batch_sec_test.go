//go:build linux

package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockstep/sockstep/content"
	"golang.org/x/sys/unix"
)

// A submission's build cannot read what its builder could not: the
// build runs with cgo off (a C preamble's .incbin would embed any file
// into the binary) and, as root, as the user nobody (the Go assembler's
// #include reads any path). Neither a root-only file's bytes reach the
// binary nor its lines the build error.
func TestBuildReadsNothingOfRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("as an ordinary user the build can read only the user's own files")
	}
	closed := t.TempDir() // 0700, root's
	secret := filepath.Join(closed, "secret")
	must0(t, os.WriteFile(secret, []byte("SECRETHASH root:x:19000:0:99999:7:::\n"), 0o600))
	for _, name := range []string{"incbin", "asm-include"} {
		t.Run(name, func(t *testing.T) {
			tmp := sharedTemp(t)
			sub := filepath.Join(closed, name)
			must0(t, os.MkdirAll(sub, 0o700))
			srcs, _ := filepath.Glob(filepath.Join("testdata/hostile/batch", name, "*.txt"))
			for _, src := range srcs {
				data := bytes.ReplaceAll(must(os.ReadFile(src)), []byte("SECRET_PATH"), []byte(secret))
				must0(t, os.WriteFile(filepath.Join(sub, strings.TrimSuffix(filepath.Base(src), ".txt")), data, 0o600))
			}
			must0(t, os.WriteFile(filepath.Join(sub, "go.mod"), []byte("module m\n\ngo 1.21\n"), 0o600))
			s := submission{name: name, path: sub, kind: "go-dir"}
			err := s.prepare(context.Background(), tmp)
			var be *errBuild
			switch {
			case errors.As(err, &be):
				t.Logf("build error (as it should be): %q", buildLines(be.msg))
				if strings.Contains(be.msg, "SECRET") {
					t.Errorf("the build error holds the root-only file: %s", be.msg)
				}
			case err != nil:
				t.Fatalf("prepare: %v", err)
			default:
				if data, _ := os.ReadFile(s.argv[0]); bytes.Contains(data, []byte("SECRETHASH")) {
					t.Errorf("the built binary holds the root-only file")
				}
			}
		})
	}
}

// A FIFO (or any entry that is neither a regular file nor a folder) in
// the batch folder is unsupported at once, whatever its name: opening it
// would block until someone writes to it (go build waited its whole
// two-minute timeout). A Go folder whose only .go file is a FIFO is
// unsupported too.
func TestBatchNonRegular(t *testing.T) {
	sub := filepath.Join(t.TempDir(), "subs")
	must0(t, os.MkdirAll(filepath.Join(sub, "godir"), 0o755))
	for _, p := range []string{"fifo.go", "fifo.py", "fifo-exec", filepath.Join("godir", "main.go")} {
		must0(t, syscall.Mkfifo(filepath.Join(sub, p), 0o755))
	}
	out := filepath.Join(t.TempDir(), "r.json")
	done := make(chan struct{})
	var stdout, stderr bytes.Buffer
	go func() {
		defer close(done)
		Command(context.Background(), []string{"udp-send", "--batch", sub, "--timeout", "1s", "--json", out}, nil, &stdout, &stderr, content.English, nil)
	}()
	select {
	case <-done:
	case <-time.After(hangBound):
		t.Fatalf("the batch did not end within %v: a FIFO blocked it", hangBound)
	}
	var rep report
	must0(t, json.Unmarshal(must(os.ReadFile(out)), &rep))
	if len(rep.Results) != 4 {
		t.Fatalf("%d rows, want 4:\n%s", len(rep.Results), stdout.String())
	}
	for _, r := range rep.Results {
		if r.Status != statusUnsupported {
			t.Errorf("%s: status %s, want %s", r.Submission, r.Status, statusUnsupported)
		}
	}
}

// Two submissions checked at once (-j 2): one sends "hello" to every
// loopback port for three seconds, the other is a correct udp-send that
// starts a second late. The sprayer's datagrams reach the socket verify
// opened for the other's check; they are not the checked program's
// (another uid holds their source port), so the correct one still passes.
//
// The batch runs in a child test process with a network namespace of its
// own: sprayed on the machine's loopback, "hello" would reach the sockets
// of every other test running at the same time (go test runs packages in
// parallel), and the ICMP port-unreachable answers to 64,000 closed ports
// would use up the kernel's ICMP rate limit (icmp_msgs_per_sec) that the
// refused lesson's own answer needs.
func TestBatchConcurrentSpray(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("as an ordinary user every program has the user's uid: senders cannot be told apart")
	}
	if os.Getenv(sprayNetnsVar) == "" {
		inOwnNetns(t, "TestBatchConcurrentSpray", sprayNetnsVar)
		return
	}
	loopbackUp(t)
	sub := filepath.Join(t.TempDir(), "subs")
	copyFile(t, bin("spray"), filepath.Join(sub, "a-spray"), 0o755)
	must0(t, os.WriteFile(filepath.Join(sub, "b-late"), []byte("#!/bin/sh\nsleep 1\nexec "+bin("udp-send")+" \"$@\"\n"), 0o755))
	out := filepath.Join(t.TempDir(), "r.json")
	var stdout, stderr bytes.Buffer
	Command(context.Background(), []string{"udp-send", "--batch", sub, "-j", "2", "--timeout", "5s", "--json", out}, nil, &stdout, &stderr, content.English, nil)
	var rep report
	must0(t, json.Unmarshal(must(os.ReadFile(out)), &rep))
	if len(rep.Results) != 2 {
		t.Fatalf("%d rows, want 2:\n%s", len(rep.Results), stdout.String())
	}
	for _, r := range rep.Results {
		t.Logf("%s: %s %s (%s)", r.Submission, r.Status, r.FirstDifference, r.Isolation)
		if r.Submission == "b-late" && r.Status != statusPass {
			t.Errorf("the correct submission failed beside the sprayer:\n%s", stdout.String())
		}
	}
}

// loopbackUp brings up lo, down in a new network namespace.
func loopbackUp(t *testing.T) {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		t.Fatalf("SIOCGIFFLAGS lo: %v", err)
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
		t.Fatalf("SIOCSIFFLAGS lo: %v", err)
	}
}

// sprayNetnsVar marks the child process of TestBatchConcurrentSpray, in
// its own network namespace.
const sprayNetnsVar = "SOCKSTEP_TEST_SPRAY_NETNS"

// inOwnNetns runs the test named test again in a child test process with
// a new network namespace (root only), its loopback brought up, and fails
// t if the child fails. The child sees mark set in its environment.
func inOwnNetns(t *testing.T, test, mark string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^"+test+"$", "-test.v")
	cmd.Env = append(os.Environ(), mark+"=1", binsVar+"="+bins)
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNET}
	out, err := cmd.CombinedOutput()
	t.Logf("in a network namespace of its own:\n%s", out)
	if err != nil {
		t.Fatalf("the test in its own network namespace failed: %v", err)
	}
	if !strings.Contains(string(out), "--- PASS: "+test) {
		t.Fatalf("the child ran no test %s", test)
	}
}

// As root, a command that nobody cannot run, with no same-named one in a
// system folder, is refused in the learner's language: it is never run
// as root instead.
func TestRefusedRatherThanRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("as an ordinary user programs run as the user")
	}
	closed := t.TempDir() // 0700, root's
	marker := filepath.Join(sharedTemp(t), "ran")
	must0(t, os.WriteFile(filepath.Join(closed, "sockstep-test-tool"), []byte("#!/bin/sh\ntouch "+marker+"\n"), 0o755))
	t.Setenv("PATH", closed+":"+os.Getenv("PATH"))
	for _, lang := range []content.Lang{content.English, content.Chinese} {
		var stdout, stderr bytes.Buffer
		code := Command(context.Background(), []string{"udp-send", "--timeout", "2s", "--", "sockstep-test-tool"}, nil, &stdout, &stderr, lang, nil)
		want := content.Text(lang).T("verify.hint.cannot_isolate", filepath.Join(closed, "sockstep-test-tool"))
		if code != ExitFail || !strings.Contains(stdout.String(), want) {
			t.Errorf("%s: exit %d, output\n%s\nwant the refusal %q", lang, code, stdout.String(), want)
		}
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("the command ran")
	}
}
