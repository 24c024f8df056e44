//go:build linux

package lessons

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"unsafe"

	"github.com/google/nftables"
	"github.com/google/nftables/binaryutil"
	"github.com/google/nftables/expr"
	"github.com/sockstep/sockstep/lessons/sock"
	"github.com/sockstep/sockstep/lessons/wire"
	"golang.org/x/sys/unix"
)

// lossyMTU is the MTU of the namespace's loopback: Ethernet's, not
// loopback's 64 KiB, so that TCP cuts what it sends into as many packets
// as a real link would make it, and the link has as many to lose.
const lossyMTU = 1500

// The names of the drop rule's table and chain, inside the namespace.
const (
	lossyTable = "sockstep"
	lossyChain = "lossy"
)

// lossyLink is a private network namespace whose loopback drops a share
// of all packets at random, with the experiment's sockets inside it.
type lossyLink struct {
	ID   string          // "net:[4026532…]", for tests to check nothing holds it
	NS   int             // a descriptor of the namespace (to read the rule's counter), or -1
	FDs  []int           // the sockets, bound to free ports of its loopback
	Gone <-chan struct{} // closed once the goroutine that made it has returned (before newLossyLink does)
	// Wire is a packet capture on the namespace's loopback, when asked
	// for and allowed; nil otherwise. Its socket belongs to the
	// namespace it was made in, whatever thread reads it later.
	Wire *wire.Capture
}

// newLossyLink makes a private network namespace whose loopback drops
// loss percent of all packets at random, and creates sockets of the given
// protocols inside it, each bound to a free port of that loopback (the
// TCP ones listening where listen is set).
//
// The namespace is made by a goroutine of its own, locked to its OS
// thread and never unlocked: once it has made the sockets it returns, and
// the Go runtime ends that thread with it, so no other goroutine ever runs
// in the namespace. (Never on the main thread, which the runtime cannot
// end: it would stay in the namespace, and /proc/net would show it.) The
// namespace has no name and no mount; once the thread is gone only the
// returned descriptors hold it, and when the last one is closed the
// kernel removes it, with its loopback and its nftables rule. Nothing
// outside it is touched.
//
// The link is returned even with an error, for its ID and Gone; its
// descriptors are then closed already. The error wraps an *nsError when
// the machine does not allow the namespace (not root, no namespaces, no
// nftables).
func newLossyLink(loss int, protos []Proto, listen []bool) (*lossyLink, error) {
	return newLossyLinkWire(loss, protos, listen, nil)
}

// newLossyLinkWire is newLossyLink, with a packet capture on the
// namespace's loopback, opened with capture's options when it is set (and
// the process may capture; if not, Wire is nil and the link works as
// without it).
func newLossyLinkWire(loss int, protos []Proto, listen []bool, capture *wire.Options) (*lossyLink, error) {
	type result struct {
		link *lossyLink
		err  error
	}
	done := make(chan result, 1)
	gone := make(chan struct{})
	var work func()
	work = func() {
		runtime.LockOSThread()
		if unix.Gettid() == unix.Getpid() {
			// The main thread. While this goroutine holds it, no
			// other can run on it: let another one do the work, on
			// another thread.
			inner := make(chan struct{})
			go func() {
				defer close(inner)
				work()
			}()
			<-inner
			runtime.UnlockOSThread() // untouched: it never left
			return
		}
		// No UnlockOSThread: this thread leaves the machine's
		// namespace, so it must end with this goroutine.
		link := &lossyLink{NS: -1, Gone: gone}
		err := link.make(loss, protos, listen, capture)
		done <- result{link, err}
	}
	go func() {
		defer close(gone)
		work()
	}()
	r := <-done
	<-gone // no goroutine outlives the call
	return r.link, r.err
}

// make does newLossyLink's work on the calling thread, which must be
// locked, and is left in the new namespace.
func (k *lossyLink) make(loss int, protos []Proto, listen []bool, capture *wire.Options) (err error) {
	defer func() {
		if err != nil {
			if k.Wire != nil {
				k.Wire.Close()
				k.Wire = nil
			}
			for _, fd := range append(k.FDs, k.NS) {
				if fd >= 0 {
					unix.Close(fd)
				}
			}
			k.FDs, k.NS = nil, -1
		}
	}()
	if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
		return &nsError{"unshare(CLONE_NEWNET)", err}
	}
	if k.ID, err = os.Readlink("/proc/thread-self/ns/net"); err != nil {
		return &nsError{"/proc/thread-self/ns/net", err}
	}
	if k.NS, err = unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0); err != nil {
		k.NS = -1
		return &nsError{"/proc/thread-self/ns/net", err}
	}
	if err := loopbackUp(lossyMTU); err != nil {
		return &nsError{"ioctl(lo)", err}
	}
	// Every send its own segment, as the lesson says; without this,
	// loopback's autocorking would merge them whenever it can.
	if err := netSysctl("ipv4/tcp_autocorking", "0"); err != nil {
		return &nsError{"sysctl net.ipv4.tcp_autocorking", err}
	}
	if err := dropRandomly(k.NS, loss); err != nil {
		return &nsError{"nftables", err}
	}
	if capture != nil {
		// Opened on this thread, so on the namespace's loopback. The
		// drop rule is on the input hook: the capture sees every packet
		// as it leaves, the lost ones too.
		if c, err := wire.Open(*capture); err == nil {
			k.Wire = c
		}
	}
	for i, p := range protos {
		typ := unix.SOCK_DGRAM
		if p == TCP {
			typ = unix.SOCK_STREAM
		}
		fd, err := sock.Socket(unix.AF_INET, typ, 0)
		if err != nil {
			return os.NewSyscallError("socket", err)
		}
		k.FDs = append(k.FDs, fd)
		if p == UDP {
			// A big receive buffer (root may force it): every loss is
			// the link's, none the receiver's.
			unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, 8<<20)
		}
		if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: labHost.As4()}); err != nil {
			return os.NewSyscallError("bind", err)
		}
		if listen[i] {
			if err := unix.Listen(fd, 8); err != nil {
				return os.NewSyscallError("listen", err)
			}
		}
	}
	return nil
}

// dropped is the number of packets the link's rule has dropped so far
// (its nftables counter), or -1 if it cannot be read.
func (k *lossyLink) dropped() int {
	c, err := nftables.New(nftables.WithNetNSFd(k.NS))
	if err != nil {
		return -1
	}
	t := &nftables.Table{Family: nftables.TableFamilyINet, Name: lossyTable}
	rules, err := c.GetRules(t, &nftables.Chain{Name: lossyChain, Table: t})
	if err != nil {
		return -1
	}
	for _, r := range rules {
		for _, e := range r.Exprs {
			if ctr, ok := e.(*expr.Counter); ok {
				return int(ctr.Packets)
			}
		}
	}
	return -1
}

// tcpSegments is what TCP_INFO says fd's connection has done so far:
// segments sent again (tcpi_total_retrans) and segments of data sent
// (tcpi_data_segs_out); -1, -1 if it cannot be read.
func tcpSegments(fd int) (retrans, dataOut int) {
	info, err := unix.GetsockoptTCPInfo(fd, unix.IPPROTO_TCP, unix.TCP_INFO)
	if err != nil {
		return -1, -1
	}
	return int(info.Total_retrans), int(info.Data_segs_out)
}

// loopbackUp sets lo's MTU and switches it on (a new namespace has it
// down).
func loopbackUp(mtu int) error {
	fd, err := sock.Socket(unix.AF_INET, unix.SOCK_DGRAM, 0)
	if err != nil {
		return os.NewSyscallError("socket", err)
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	ifr.SetUint32(uint32(mtu))
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFMTU, ifr); err != nil {
		return fmt.Errorf("SIOCSIFMTU: %w", err)
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return fmt.Errorf("SIOCGIFFLAGS: %w", err)
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
		return fmt.Errorf("SIOCSIFFLAGS: %w", err)
	}
	// Loopback lets TCP hand it 64 KiB at once, to be cut into packets
	// only if it ever left the machine (segmentation offload, TSO and
	// GSO). The drop rule would then see, and drop, forty segments as
	// one packet. Switched off, every segment is a packet of its own, as
	// on a wire.
	for _, cmd := range []uint32{unix.ETHTOOL_STSO, unix.ETHTOOL_SGSO} {
		if err := ethtoolSet(fd, "lo", cmd, 0); err != nil {
			return err
		}
	}
	return nil
}

// ethtoolSet is ioctl(SIOCETHTOOL) with a struct ethtool_value: one
// on/off setting of an interface.
func ethtoolSet(fd int, iface string, cmd, value uint32) error {
	v := struct{ cmd, data uint32 }{cmd, value}
	var ifr struct {
		name [unix.IFNAMSIZ]byte
		data unsafe.Pointer // ifr_data
		_    [16]byte       // the rest of the union
	}
	copy(ifr.name[:], iface)
	ifr.data = unsafe.Pointer(&v)
	_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.SIOCETHTOOL, uintptr(unsafe.Pointer(&ifr)))
	runtime.KeepAlive(&v)
	if e != 0 {
		return fmt.Errorf("SIOCETHTOOL %#x: %w", cmd, e)
	}
	return nil
}

// netSysctl sets /proc/sys/net/NAME. The files under /proc/sys/net belong
// to the network namespace of the thread that opens them: called on the
// namespace's thread, it changes that namespace only.
func netSysctl(name, value string) error {
	f, err := os.OpenFile("/proc/sys/net/"+name, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(value)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// dropRandomly installs, in the namespace ns, the equivalent of
//
//	table inet sockstep { chain lossy { type filter hook input priority 0;
//	    numgen random mod 100 < LOSS counter drop } }
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
	t := c.AddTable(&nftables.Table{Family: nftables.TableFamilyINet, Name: lossyTable})
	policy := nftables.ChainPolicyAccept
	ch := c.AddChain(&nftables.Chain{Name: lossyChain, Table: t, Type: nftables.ChainTypeFilter,
		Hooknum: nftables.ChainHookInput, Priority: nftables.ChainPriorityFilter, Policy: &policy})
	c.AddRule(&nftables.Rule{Table: t, Chain: ch, Exprs: []expr.Any{
		&expr.Numgen{Register: 1, Modulus: 100, Type: unix.NFT_NG_RANDOM},
		// The number is in host order; cmp compares bytes, so big-endian.
		&expr.Byteorder{SourceRegister: 1, DestRegister: 1, Op: expr.ByteorderHton, Len: 4, Size: 4},
		&expr.Cmp{Op: expr.CmpOpLt, Register: 1, Data: binaryutil.BigEndian.PutUint32(uint32(loss))},
		&expr.Counter{},
		&expr.Verdict{Kind: expr.VerdictDrop},
	}})
	return c.Flush()
}

// namespaceHeld reports whether anything of this process still holds the
// namespace id: a thread in it, or a descriptor of it. (Its sockets hold
// it too; the tests count those apart.)
func namespaceHeld(id string) bool {
	if id == "" {
		return false
	}
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return true
	}
	for _, t := range tasks {
		if l, err := os.Readlink("/proc/self/task/" + t.Name() + "/ns/net"); err == nil && l == id {
			return true
		}
	}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return true
	}
	for _, f := range fds {
		if l, err := os.Readlink("/proc/self/fd/" + f.Name()); err == nil && strings.HasPrefix(l, "net:") && l == id {
			return true
		}
	}
	return false
}
