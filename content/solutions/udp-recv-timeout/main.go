// Command udp-recv-timeout is the reference solution of the
// udp-recv-timeout exercise.
//
//	echo 0.5 | go run ./content/solutions/udp-recv-timeout HOST PORT
//
// It binds HOST:PORT, reads T (seconds) from standard input, and prints
// each datagram that comes on its own line, waiting at most T seconds for
// each; when T seconds pass with nothing, it prints "timeout" and exits 0.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: udp-recv-timeout HOST PORT < T")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "udp-recv-timeout:", err)
		os.Exit(1)
	}
}

func run(host, port string) error {
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("no time limit on standard input: %w", err)
	}
	// T is in seconds and may have a fraction: "1", "0.5".
	secs, err := strconv.ParseFloat(strings.TrimSpace(line), 64)
	if err != nil || secs <= 0 {
		return fmt.Errorf("the time limit %q is not a positive number of seconds", strings.TrimSpace(line))
	}
	limit := time.Duration(secs * float64(time.Second))

	addr, err := net.ResolveUDPAddr("udp", net.JoinHostPort(host, port))
	if err != nil {
		return err
	}
	conn, err := net.ListenUDP("udp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()

	buf := make([]byte, 1024)
	for {
		// A deadline in Go is a moment, not a length: set it again before
		// every read, so that each wait gets the whole limit. (Python's
		// sock.settimeout(T) is a length and applies to every call;
		// C sets SO_RCVTIMEO once.)
		if err := conn.SetReadDeadline(time.Now().Add(limit)); err != nil {
			return err
		}
		n, _, err := conn.ReadFromUDP(buf)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			// Nothing came in time: that is an answer, not a failure.
			fmt.Println("timeout")
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Printf("%s\n", buf[:n])
	}
}
