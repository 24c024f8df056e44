//go:build linux

package lessons

import (
	"fmt"
	"os"
	"runtime"
	"syscall"

	"github.com/google/nftables"
	"github.com/google/nftables/binaryutil"
	"github.com/google/nftables/expr"
	"golang.org/x/sys/unix"
)

// lossySockets makes a private network namespace whose loopback drops
// loss percent of all packets at random, and creates n sockets of the
// given protocols inside it, each bound to a free port of that loopback
// (the TCP ones listening where listen is set).
//
// The namespace is made on a locked thread, which goes back to the
// machine's namespace once the sockets exist (or, if that fails, is thrown
// away: its goroutine then ends locked), so no other goroutine ever runs
// in it. It holds no name and no file: it lives exactly as long as the
// returned sockets, and disappears, with its nftables rule, when the last
// one is closed. Nothing outside it is touched. id names the namespace
// ("net:[4026532…]") so that tests can check no thread stays in it.
func lossySockets(loss int, protos []Proto, listen []bool) (fds []int, id string, err error) {
	type result struct {
		fds []int
		id  string
		err error
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		home, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			runtime.UnlockOSThread()
			done <- result{err: fmt.Errorf("%w: %w", errNoNamespace, err)}
			return
		}
		defer unix.Close(home)
		fds, id, err := lossyOnThisThread(loss, protos, listen)
		// Back home; a thread that cannot go back stays locked, and the
		// runtime ends it with this goroutine.
		if unix.Setns(home, unix.CLONE_NEWNET) == nil {
			runtime.UnlockOSThread()
		}
		done <- result{fds, id, err}
	}()
	r := <-done
	return r.fds, r.id, r.err
}

func lossyOnThisThread(loss int, protos []Proto, listen []bool) (fds []int, id string, err error) {
	defer func() {
		if err != nil {
			for _, fd := range fds {
				unix.Close(fd)
			}
			fds = nil
		}
	}()
	if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
		return nil, "", fmt.Errorf("%w: unshare(CLONE_NEWNET): %w", errNoNamespace, err)
	}
	id, err = os.Readlink("/proc/thread-self/ns/net")
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", errNoNamespace, err)
	}
	ns, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, id, fmt.Errorf("%w: %w", errNoNamespace, err)
	}
	defer unix.Close(ns)
	if err := loopbackUp(); err != nil {
		return nil, id, fmt.Errorf("%w: bringing lo up: %w", errNoNamespace, err)
	}
	if err := dropRandomly(ns, loss); err != nil {
		return nil, id, fmt.Errorf("%w: nftables: %w", errNoNamespace, err)
	}
	for i, p := range protos {
		typ := unix.SOCK_DGRAM
		if p == TCP {
			typ = unix.SOCK_STREAM
		}
		syscall.ForkLock.RLock()
		fd, err := unix.Socket(unix.AF_INET, typ|unix.SOCK_CLOEXEC, 0)
		syscall.ForkLock.RUnlock()
		if err != nil {
			return fds, id, fmt.Errorf("socket: %w", err)
		}
		fds = append(fds, fd)
		if p == UDP {
			// A big receive buffer (root may force it): every loss is
			// the link's, none the receiver's.
			unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, 8<<20)
		}
		if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: labHost.As4()}); err != nil {
			return fds, id, fmt.Errorf("bind: %w", err)
		}
		if listen[i] {
			if err := unix.Listen(fd, 8); err != nil {
				return fds, id, fmt.Errorf("listen: %w", err)
			}
		}
	}
	return fds, id, nil
}

// loopbackUp switches on lo, which a new namespace has down.
func loopbackUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return err
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	return unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr)
}

// dropRandomly installs, in the namespace ns, the equivalent of
//
//	table inet sockstep { chain lossy { type filter hook input priority 0;
//	    numgen random mod 100 < LOSS drop } }
//
// over netlink. On loopback every packet comes back in through input, so
// both directions (data and acknowledgements) lose the same share. The
// input hook, not output: a packet dropped on its way out makes the
// sender's call fail with EPERM, which a real network never does.
func dropRandomly(ns, loss int) error {
	c, err := nftables.New(nftables.WithNetNSFd(ns))
	if err != nil {
		return err
	}
	t := c.AddTable(&nftables.Table{Family: nftables.TableFamilyINet, Name: "sockstep"})
	policy := nftables.ChainPolicyAccept
	ch := c.AddChain(&nftables.Chain{Name: "lossy", Table: t, Type: nftables.ChainTypeFilter,
		Hooknum: nftables.ChainHookInput, Priority: nftables.ChainPriorityFilter, Policy: &policy})
	c.AddRule(&nftables.Rule{Table: t, Chain: ch, Exprs: []expr.Any{
		&expr.Numgen{Register: 1, Modulus: 100, Type: unix.NFT_NG_RANDOM},
		// The number is in host order; cmp compares bytes, so big-endian.
		&expr.Byteorder{SourceRegister: 1, DestRegister: 1, Op: expr.ByteorderHton, Len: 4, Size: 4},
		&expr.Cmp{Op: expr.CmpOpLt, Register: 1, Data: binaryutil.BigEndian.PutUint32(uint32(loss))},
		&expr.Verdict{Kind: expr.VerdictDrop},
	}})
	return c.Flush()
}

// namespaceGone reports whether no thread of this process is in the
// namespace id any more (the sockets may still hold it until closed).
func namespaceGone(id string) bool {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return false
	}
	for _, t := range tasks {
		if l, err := os.Readlink("/proc/self/task/" + t.Name() + "/ns/net"); err == nil && l == id {
			return false
		}
	}
	return true
}
