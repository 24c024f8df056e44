// Command tcp-client-sendall is the reference solution of the
// tcp-client-sendall exercise.
//
//	go run ./content/solutions/tcp-client-sendall HOST PORT < some-file
//
// It sends all of its standard input, says it is done with
// shutdown(SHUT_WR), and copies the server's whole reply to standard
// output, reading until the server closes.
package main

import (
	"fmt"
	"io"
	"net"
	"os"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: tcp-client-sendall HOST PORT < FILE")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "tcp-client-sendall:", err)
		os.Exit(1)
	}
}

func run(host, port string) error {
	// Bytes, not text (Python: sys.stdin.buffer.read()).
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	conn, err := net.Dial("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return err
	}
	tcp := conn.(*net.TCPConn)
	defer tcp.Close()

	// A single send() may take only part of a large buffer; Go's Write
	// loops until every byte is handed to the kernel, like Python's
	// sendall. In C: a loop over send() until the count is reached.
	if _, err := tcp.Write(data); err != nil {
		return err
	}
	// shutdown(SHUT_WR): a FIN tells the server the upload is complete,
	// and this socket can still read the answer.
	if err := tcp.CloseWrite(); err != nil {
		return err
	}
	// The reply comes in pieces of any size; recv returns whatever has
	// arrived. Read until recv returns 0: the server has closed.
	_, err = io.Copy(os.Stdout, tcp)
	return err
}
