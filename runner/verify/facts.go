package verify

import "fmt"

// Facts is the behaviour an exercise's contract fixes. Expected and
// observed Facts are compared with go-cmp; a field an exercise does not
// check stays zero on both sides.
type Facts struct {
	Datagrams []string    // payloads, in order
	Conns     []ConnFacts // per connection, in order
	File      *FileFacts  // tcp-file: the upload, summarised
	Stdout    []string    // lines of standard output, without line ends
	Threads   Threads     // tcp-server-poll: how its threads followed the clients
	Exit      Exit        // how the program ended
}

// ConnFacts is what the contract fixes about one connection.
type ConnFacts struct {
	FromProgram string // the bytes the program sent on it
	Closed      bool   // whether the program closed its side
	Refused     bool   // verify's client was refused: nothing listened any more
	Upload      bool   // the bytes are summarised in Facts.File instead (tcp-file)
}

// FileFacts summarises a length-prefixed upload, which is too big to show.
type FileFacts struct {
	Prefix string // the first 4 bytes in hex, and their big-endian value
	Length int    // bytes after the prefix
	SHA256 string // start of the SHA-256 of those bytes, in hex
}

// Threads is how a server's threads followed its clients (tcp-server-poll):
// threadsSteady, threadsPerClient, or "" where they could not be counted.
type Threads string

const (
	threadsSteady    Threads = "steady"
	threadsPerClient Threads = "one per client"
)

// Exit is how the program ended, as a code the report translates:
// "exit:N", "signal:NAME", "running" (a server still serving when verify
// stopped it) or "timeout" (a program that should have ended did not).
type Exit string

const (
	exitRunning Exit = "running"
	exitTimeout Exit = "timeout"
	exitFlooded Exit = "flooded" // stopped: it sent more than verify keeps
	exitOK      Exit = "exit:0"
)

func exitCode(n int) Exit { return Exit(fmt.Sprintf("exit:%d", n)) }
