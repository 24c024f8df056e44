package verify_test

import (
	"context"
	"fmt"
	"os"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner/verify"
)

func ExampleList() {
	verify.List(os.Stdout, content.English)
	// Output:
	// Exercises you can check with sockstep verify:
	//   udp-send               UDP sender: one line, one datagram
	//   udp-recv               UDP receiver: who sent this?
	//   tcp-client             TCP client: one question, one answer
	//   tcp-server             TCP echo server: one client after another
	//   tcp-server-concurrent  TCP echo server for many clients at once
	//   tcp-file               Send a file over TCP, with a length first
	//   udp-recv-timeout       UDP receiver with a time limit
	//   tcp-client-sendall     Send everything, read everything
	//   tcp-server-poll        One thread, many clients: an echo server with poll
	// Check a program: sockstep verify EXERCISE -- CMD [ARGS...]   (verify adds HOST PORT)
}

// A usage error: an exercise that does not exist. Command returns 2 and
// explains on stderr (here stdout, to show it).
func ExampleCommand() {
	code := verify.Command(context.Background(), []string{"udp-sender", "--", "python3", "send.py"},
		nil, os.Stderr, os.Stdout, content.English, nil)
	fmt.Println("exit status", code)
	// Output:
	// There is no exercise named "udp-sender".
	// usage: sockstep verify EXERCISE [--timeout D] [--json FILE] [--csv FILE] [--junit FILE] -- CMD [ARGS...]
	//        sockstep verify EXERCISE --batch DIR [-j N] [--timeout D] [--json FILE] [--csv FILE] [--junit FILE]
	//
	// verify runs CMD ARGS HOST PORT, plays the other side over loopback, and says what differs.
	// Exercises: tcp-client, tcp-client-sendall, tcp-file, tcp-server, tcp-server-concurrent, tcp-server-poll, udp-recv, udp-recv-timeout, udp-send
	// exit status 2
}
