package verify

import (
	"bytes"
	"time"

	"github.com/sockstep/sockstep/runner/verify/proc"
)

// Observation is everything verify saw during one run, raw. The Facts
// compared with the reference are derived from it; the rest feeds hints.
type Observation struct {
	Host string // always 127.0.0.1
	Port int    // the port handed to the program
	Pgid int    // the program's process group (gone once the run is over)

	Datagrams []Datagram // in arrival order
	Conns     []Conn     // in the order verify opened or accepted them

	// Threads (tcp-server-poll): "steady", or "one per client" when the
	// program's threads came and went with its clients; "" unknown.
	Threads Threads

	Stdout, Stderr         []byte // capped starts of the streams
	StderrTail             []byte // the last few KiB of stderr
	StdoutTruncated        bool
	Exit                   proc.Result
	TimedOut               bool   // the time limit ran out before the peer was done
	WaitedFor              string // what verify was waiting for when it gave up (a wait* constant)
	Reached                bool   // the program bound/listened/connected where it should
	Sender                 string // udp-recv: the address verify sent from
	Program                string // the command's first word, as given
	OtherSockets           []string
	StartErr               error // the program could not be started at all
	Attempts               int   // runs needed (a port taken by someone else is retried)
	Elapsed                time.Duration
	Interrupted            bool // the caller's context was cancelled (Ctrl-C)
	SecondClientWaited     bool // tcp-server-concurrent: the second client got no answer while the first was open
	ClosedBeforeClientDone bool // a server closed a connection before verify's client had finished
	// StdoutBeforeReply is how many bytes of output the program had written
	// when verify sent its reply (tcp-client, tcp-file); 0 when unknown.
	StdoutBeforeReply int
	// ListenerGone: after a server dropped a client, nothing listened on
	// PORT any more (read from the kernel's socket table).
	ListenerGone bool
	// WrongPort: the program bound or listened on other ports while
	// nothing was at PORT, seen twice in a row; verify stopped waiting.
	WrongPort bool
	wrongSeen int // successive polls that saw only other ports

	// DatagramsOverflowed: more than maxDatagrams (or maxDatagramBytes)
	// arrived; verify kept the first and read no further.
	DatagramsOverflowed bool
	// DatagramCap is the cap that stopped the receiver (maxDatagrams or
	// maxDatagramBytes), for the hint.
	DatagramCap floodCap
}

// Datagram is one UDP datagram the program sent.
type Datagram struct {
	From string
	Data []byte
}

// Conn is one TCP connection between verify and the program.
type Conn struct {
	Received []byte // every byte the program sent on it
	Closed   bool   // the program closed its side (verify read end of stream)
	// ClosedAfter is when verify saw the program's close, counted from the
	// connection's start (0 when it did not close).
	ClosedAfter time.Duration
	Opened      time.Time // when verify connected or accepted
	Reset       bool      // the connection was reset
	Refused     bool      // verify could not connect

	// Overflowed: the program sent more than maxReceived; verify kept the
	// start (Received) and read no further.
	Overflowed bool
}

// What verify was waiting for when time ran out or the program ended.
const (
	waitBind    = "bind"    // the program to bind/listen on HOST:PORT
	waitConnect = "connect" // the program to connect to verify
	waitData    = "data"    // the program to send (more) data
	waitEcho    = "echo"    // a server to send back what it got
	waitSecond  = "second"  // a concurrent server to answer the second client
	waitClose   = "close"   // the program to close its side of a connection
	waitExit    = "exit"    // the program to exit
)

// outputLines is the program's output as lines, as the contract reads it:
// a missing final newline is forgiven (lines), and so is one empty line at
// the end, which Python's print adds to a reply that already ends in a
// newline (print(s.recv(1024).decode())). A second one is a difference,
// shown as "an extra empty line at the end".
func outputLines(b []byte) []string {
	if bytes.HasSuffix(b, []byte("\n\n")) {
		b = b[:len(b)-1]
	}
	return lines(b)
}

// replyLines splits the output of a program whose contract is "print the
// reply on one line": the reply is the last line, and everything before
// it (a "connected" line, a prompt such as Python's input("请输入：")) is
// ignored. before is how many bytes the program had written when verify
// sent the reply (-1 when unknown): a prompt written then, without a
// newline, sits on the reply's line and is ignored too. Trailing empty
// lines stay with the reply, so that more than the one tolerated is shown.
func replyLines(out []byte, before int) (reply []string, ignored string) {
	text := bytes.TrimRight(out, "\n")
	start := bytes.LastIndexByte(text, '\n') + 1
	if before > start && before < len(text) {
		start = before
	}
	return outputLines(out[start:]), string(out[:start])
}
