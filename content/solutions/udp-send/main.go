// Command udp-send is the reference solution of the udp-send exercise.
//
//	go run ./content/solutions/udp-send HOST PORT
//
// It reads lines from standard input and sends each one as ONE datagram
// to HOST:PORT, until it reads "exit" or the input ends.
package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: udp-send HOST PORT")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "udp-send:", err)
		os.Exit(1)
	}
}

func run(host, port string) error {
	// Where the datagrams go. Resolving only turns text into an address;
	// nothing is sent yet.
	dest, err := net.ResolveUDPAddr("udp", net.JoinHostPort(host, port))
	if err != nil {
		return err
	}

	// socket(AF_INET, SOCK_DGRAM): a UDP socket. Passing nil lets the
	// kernel choose our own port; a sender does not need a fixed one.
	conn, err := net.ListenUDP("udp", nil)
	if err != nil {
		return err
	}
	// Close the socket on every path out of run, error or not.
	defer conn.Close()

	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		// Text() is the line WITHOUT its newline: the newline only ended
		// the line on the keyboard, it is not part of the message.
		line := in.Text()
		if line == "exit" {
			break
		}
		// sendto: one call, one datagram. Go strings are UTF-8 already,
		// so []byte(line) is the UTF-8 encoding.
		if _, err := conn.WriteToUDP([]byte(line), dest); err != nil {
			return fmt.Errorf("sending %q failed: %w", line, err)
		}
	}
	return in.Err()
}
