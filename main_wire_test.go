//go:build linux

package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/sockstep/sockstep/lessons/sockettest"
	"github.com/sockstep/sockstep/lessons/wire"
)

// TestWireCaptured: as root, run shows the captured handshake beside the
// steps, writes the same packets to --pcap, and --record keeps them.
func TestWireCaptured(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("capturing needs CAP_NET_RAW; CI runs as root")
	}
	dir := t.TempDir()
	pcap, rec := filepath.Join(dir, "c.pcap"), filepath.Join(dir, "c.md")
	r := sockstep(t, nil, "run", "tcp-client", "--auto", "--port", strconv.Itoa(sockettest.FreePort(t)), "--pcap", pcap, "--record", rec)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, tail(r.stdout), r.stderr)
	}
	for _, want := range []string{"(captured on lo)", "SYN Seq=0 Win=", "SYN-ACK Seq=0 Ack=1", "ACK Seq=1 Ack=1", "RST-ACK Seq=0 Ack=1", "MSS="} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, tail(r.stdout))
		}
	}
	if strings.Contains(r.stdout, "not captured") {
		t.Error("a captured run says its timeline is drawn")
	}
	transcript, err := os.ReadFile(rec)
	if err != nil || !strings.Contains(string(transcript), "SYN-ACK Seq=0 Ack=1") {
		t.Errorf("the transcript lacks the captured packets (%v)", err)
	}

	seen := map[string]bool{}
	syns := 0
	for _, data := range sockettest.PcapPackets(t, pcap) {
		if seen[string(data)] {
			t.Error("a packet is in the file twice")
		}
		seen[string(data)] = true
		p := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default)
		if tcp, ok := p.Layer(layers.LayerTypeTCP).(*layers.TCP); ok && tcp.SYN && !tcp.ACK {
			syns++
		}
	}
	if syns != 2 { // the refused call and the real one
		t.Errorf("%d SYNs in the pcap, want 2", syns)
	}
	if tcpdump, err := exec.LookPath("tcpdump"); err == nil {
		out, err := exec.Command(tcpdump, "-nn", "-r", pcap).Output()
		if n := strings.Count(string(out), " IP "); err != nil || n != len(seen) {
			t.Errorf("tcpdump -r lists %d packets (%v), the file holds %d", n, err, len(seen))
		}
	}
}

// TestWireFlags: --wire takes on, off or auto; off draws the timeline and
// says so.
func TestWireFlags(t *testing.T) {
	if r := sockstep(t, nil, "run", "tcp-client", "--auto", "--wire", "maybe"); r.code != exitUsage || !strings.Contains(r.stderr, "--wire takes on, off or auto") {
		t.Errorf("--wire maybe: exit %d, %s", r.code, r.stderr)
	}
	if r := sockstep(t, nil, "run", "tcp-client", "--auto", "--wire", "off", "--pcap", filepath.Join(t.TempDir(), "x.pcap")); r.code != exitUsage || !strings.Contains(r.stderr, "--pcap needs the capture") {
		t.Errorf("--wire off --pcap: exit %d, %s", r.code, r.stderr)
	}
	r := sockstep(t, nil, "run", "tcp-client", "--auto", "--wire", "off", "--port", strconv.Itoa(sockettest.FreePort(t)))
	if r.code != 0 || !strings.Contains(r.stdout, "(drawn from the calls, not captured)") || strings.Contains(r.stdout, "setcap") {
		t.Errorf("--wire off: exit %d\n%s", r.code, tail(r.stdout))
	}
}

// TestWireWithoutPrivilege runs as nobody: the lesson runs as before with
// its timeline drawn, marked so, with the one line on setcap; --wire on
// refuses to start.
func TestWireWithoutPrivilege(t *testing.T) {
	setpriv, err := exec.LookPath("setpriv")
	if os.Geteuid() != 0 || err != nil {
		t.Skip("needs root and setpriv to become an ordinary user")
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o777)
	os.Chmod(filepath.Dir(dir), 0o755)
	os.Chmod(filepath.Dir(binary), 0o755)
	run := func(args ...string) (string, error) {
		cmd := exec.Command(setpriv, append([]string{"--reuid", "65534", "--regid", "65534", "--clear-groups", binary}, args...)...)
		cmd.Env = append(os.Environ(), "SOCKSTEP_PROGRESS="+filepath.Join(dir, "p.json"), "HOME="+dir)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	port := strconv.Itoa(sockettest.FreePort(t))
	out, err := run("run", "tcp-client", "--auto", "--lang", "en", "--port", port)
	if err != nil {
		t.Fatalf("%v\n%s", err, tail(out))
	}
	if !strings.Contains(out, "(drawn from the calls, not captured)") || strings.Count(out, "sudo setcap cap_net_raw+ep ./sockstep") != 1 || !strings.Contains(out, "SYN-ACK") {
		t.Errorf("the drawn timeline or the hint is missing:\n%s", tail(out))
	}
	// An experiment has no two-party timeline: its steps list packets
	// when captured, and say once how to see them when not.
	for _, lang := range []string{"en", "zh"} {
		out, err = run("run", "refused", "--auto", "--lang", lang)
		if err != nil {
			t.Fatalf("refused, %s: %v\n%s", lang, err, tail(out))
		}
		if n := strings.Count(out, "sudo setcap cap_net_raw+ep ./sockstep"); n != 1 {
			t.Errorf("refused, %s: the hint on setcap is there %d times, want once:\n%s", lang, n, tail(out))
		}
	}
	out, err = run("run", "tcp-client", "--auto", "--lang", "zh", "--wire", "on", "--port", port)
	if err == nil || !strings.Contains(out, "--wire on：sockstep 在这里无法抓包") || !strings.Contains(out, "CAP_NET_RAW") {
		t.Errorf("--wire on as nobody: %v\n%s", err, out)
	}
	pcap := filepath.Join(dir, "n.pcap")
	out, err = run("run", "tcp-client", "--auto", "--lang", "en", "--pcap", pcap, "--port", port)
	if _, serr := os.Stat(pcap); err == nil || !strings.Contains(out, "--pcap: sockstep cannot capture") || serr == nil {
		t.Errorf("--pcap as nobody: %v, file left: %v\n%s", err, serr == nil, out)
	}
}

// TestWireInterrupted: Ctrl-C during a captured experiment still exits
// 130 and leaves a pcap file that can be read to its end.
func TestWireInterrupted(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("capturing needs CAP_NET_RAW; CI runs as root")
	}
	pcap := filepath.Join(t.TempDir(), "t.pcap")
	p := startSockstep(t, "run", "throughput", "--auto", "--pcap", pcap)
	interrupt(t, p, "Step 1 of 2", 200*time.Millisecond, syscall.SIGINT, 130)
	f, err := os.Open(pcap)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pr, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	fins := 0
	for {
		data, _, err := pr.ReadPacketData()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("the pcap file is cut short: %v", err)
		}
		p := gopacket.NewPacket(data, layers.LayerTypeEthernet, gopacket.Default)
		if tcp, ok := p.Layer(layers.LayerTypeTCP).(*layers.TCP); ok && tcp.FIN {
			fins++
		}
	}
	// The interrupt closed the experiment's connection: both FINs went
	// out after it, and are in the file.
	if fins < 2 {
		t.Errorf("%d FINs in the pcap after the interrupt, want the two of the closed connection", fins)
	}
}

// TestWireLossyPcap: --pcap holds the packets captured inside the lossy
// link's own namespace: as many TCP segments, and as many sent again, as
// the screen says were captured there.
func TestWireLossyPcap(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("capturing needs CAP_NET_RAW; CI runs as root")
	}
	pcap := filepath.Join(t.TempDir(), "l.pcap")
	r := sockstep(t, nil, "run", "lossy-link", "--auto", "--lang", "en", "--width", "200", "--pcap", pcap)
	if r.code == exitFail && strings.Contains(r.stdout+r.stderr, "namespace") {
		t.Skip("this machine does not allow the lesson's network namespace")
	}
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, tail(r.stdout), r.stderr)
	}
	m := regexp.MustCompile(`Captured on the namespace's loopback: (\d+) packets left, (\d+) of them TCP segments sent again`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no count of the captured TCP segments:\n%s", tail(r.stdout))
	}
	left, again := m[1], m[2]
	dec := wire.NewDecoder()
	tcp, resent := 0, 0
	for _, data := range sockettest.PcapPackets(t, pcap) {
		p, ok := dec.Decode(data, gopacket.CaptureInfo{CaptureLength: len(data), Length: len(data)})
		if !ok || p.Proto != wire.TCP {
			continue
		}
		tcp++
		if p.Retransmit {
			resent++
		}
	}
	if strconv.Itoa(tcp) != left || strconv.Itoa(resent) != again {
		t.Errorf("the pcap holds %d TCP segments, %d sent again; the screen says %s and %s", tcp, resent, left, again)
	}
	t.Logf("pcap: %d TCP segments, %d sent again (screen: %s, %s)", tcp, resent, left, again)
}
