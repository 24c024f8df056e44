// Command tcp-client is the reference solution of the tcp-client exercise.
//
//	go run ./content/solutions/tcp-client HOST PORT
//
// It connects to HOST:PORT, sends one line read from standard input
// (without its newline), prints the server's reply and closes.
package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: tcp-client HOST PORT")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "tcp-client:", err)
		os.Exit(1)
	}
}

func run(host, port string) error {
	// Read the message first: no connection is held open while a person
	// is still typing.
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return err
	}
	line = strings.TrimRight(line, "\r\n")

	// socket + connect: the three-way handshake happens here. If nothing
	// listens on HOST:PORT, this fails with "connection refused".
	conn, err := net.Dial("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return err
	}
	defer conn.Close() // close: our FIN tells the server we are done

	// send. Go's Write sends every byte before it returns (Python's
	// send may send only part; use sendall there).
	if _, err := conn.Write([]byte(line)); err != nil {
		return err
	}

	// recv(1024): the server answers with one short message, so one read
	// gets it. TCP keeps no message boundaries: a longer reply could come
	// in several pieces, and a protocol would then need a way to mark its
	// end (a newline, or a length first: see tcp-file).
	buf := make([]byte, 1024)
	n, err := conn.Read(buf)
	if err != nil {
		return fmt.Errorf("no reply from the server: %w", err)
	}
	fmt.Println(string(buf[:n]))
	return nil
}
