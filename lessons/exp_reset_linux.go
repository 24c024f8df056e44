package lessons

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// countStates counts the connections on local port port in state st in
// /proc/net/tcp; -1 if the table cannot be read.
func countStates(port uint16, st string) int {
	data, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		return -1
	}
	want := fmt.Sprintf(":%04X", port)
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasSuffix(f[1], want) {
			continue
		}
		if v, err := strconv.ParseUint(f[3], 16, 8); err == nil && tcpStates[int(v)] == st {
			n++
		}
	}
	return n
}

// keepaliveResult is what the kernel says about keepalive on one
// connection: its options on a fresh socket, the machine's defaults, the
// options once set, and what an idle connection sent.
type keepaliveResult struct {
	Fresh   [4]int // SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT
	Sysctl  [3]int // net.ipv4.tcp_keepalive_time, _intvl, _probes; -1 unknown
	Set     [4]int // the same options read back after setting them
	Idle    time.Duration
	Probes  int    // segments the client sent while idle (tcpi_segs_out)
	Answers int    // segments the server sent meanwhile
	State   string // the client's state after the idle time
}

// keepaliveIdle is how long the lesson leaves the connection idle, with
// probes after 1 s of silence.
const keepaliveIdle = 2500 * time.Millisecond

var keepaliveOpts = [4]struct {
	level, opt int
}{
	{unix.SOL_SOCKET, unix.SO_KEEPALIVE},
	{unix.IPPROTO_TCP, unix.TCP_KEEPIDLE},
	{unix.IPPROTO_TCP, unix.TCP_KEEPINTVL},
	{unix.IPPROTO_TCP, unix.TCP_KEEPCNT},
}

func readKeepalive(fd int) ([4]int, error) {
	var v [4]int
	for i, o := range keepaliveOpts {
		n, err := unix.GetsockoptInt(fd, o.level, o.opt)
		if err != nil {
			return v, os.NewSyscallError("getsockopt", err)
		}
		v[i] = n
	}
	return v, nil
}

func sysctlInt(name string) int {
	data, err := os.ReadFile("/proc/sys/net/ipv4/" + name)
	if err != nil {
		return -1
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		return -1
	}
	return n
}

func segsOut(fd int) int {
	info, err := unix.GetsockoptTCPInfo(fd, unix.IPPROTO_TCP, unix.TCP_INFO)
	if err != nil {
		return -1
	}
	return int(info.Segs_out)
}

// keepalive reads the keepalive options of a fresh connection, turns
// keepalive on with short times, and leaves the connection idle while
// TCP_INFO counts the segments each side sends.
func (l *lab) keepalive(ctx context.Context) (keepaliveResult, error) {
	res := keepaliveResult{Idle: keepaliveIdle}
	c, srv, err := l.tcpPair(ctx)
	if err != nil {
		return res, err
	}
	if res.Fresh, err = readKeepalive(c); err != nil {
		return res, err
	}
	l.show(Client, fmt.Sprintf("getsockopt(%d, SO_KEEPALIVE; TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT)", c),
		fmt.Sprintf("%d; %d, %d, %d", res.Fresh[0], res.Fresh[1], res.Fresh[2], res.Fresh[3]), nil, nil)
	for i, name := range []string{"tcp_keepalive_time", "tcp_keepalive_intvl", "tcp_keepalive_probes"} {
		res.Sysctl[i] = sysctlInt(name)
	}
	for i, v := range [4]int{1, 1, 1, 3} {
		o := keepaliveOpts[i]
		if err := unix.SetsockoptInt(c, o.level, o.opt, v); err != nil {
			return res, os.NewSyscallError("setsockopt", err)
		}
	}
	if res.Set, err = readKeepalive(c); err != nil {
		return res, err
	}
	l.show(Client, fmt.Sprintf("setsockopt(%d, SO_KEEPALIVE 1; TCP_KEEPIDLE 1, TCP_KEEPINTVL 1, TCP_KEEPCNT 3)", c), "0", nil, nil)
	cOut, sOut := segsOut(c), segsOut(srv)
	t := time.NewTimer(keepaliveIdle)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return res, ctx.Err()
	case <-t.C:
	}
	res.Probes, res.Answers = segsOut(c)-cOut, segsOut(srv)-sOut
	res.State = tcpState(c)
	return res, nil
}

func keepaliveRows(res keepaliveResult) []Row {
	rows := []Row{{Key: "exp.reset.ka-fresh", Args: []any{res.Fresh[0], res.Fresh[1], res.Fresh[2], res.Fresh[3]}}}
	if res.Sysctl[0] >= 0 {
		rows = append(rows, Row{Key: "exp.reset.ka-sysctl", Args: []any{res.Sysctl[0], res.Sysctl[1], res.Sysctl[2]}})
	}
	return append(rows,
		Row{Key: "exp.reset.ka-set", Args: []any{res.Set[0], res.Set[1], res.Set[2], res.Set[3]}},
		Row{Key: "exp.reset.ka-idle", Args: []any{strconv.FormatFloat(res.Idle.Seconds(), 'f', -1, 64), res.Probes, res.Answers, res.State}})
}
