// Command tcp-server-concurrent is the reference solution of the
// tcp-server-concurrent exercise.
//
//	go run ./content/solutions/tcp-server-concurrent HOST PORT
//
// An echo server that serves many clients at once: each gets its own
// goroutine, so a client that stays connected never blocks the next one.
// It sends back every chunk it receives unchanged, and closes a client's
// connection once the client has closed its side. It runs until stopped.
package main

import (
	"fmt"
	"net"
	"os"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: tcp-server-concurrent HOST PORT")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "tcp-server-concurrent:", err)
		os.Exit(1)
	}
}

func run(host, port string) error {
	// socket + bind + listen in one call (the phone is bought, the SIM
	// card is in, the ringer is on). The listening socket only takes
	// calls; each call gets a socket of its own from Accept.
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return err
	}
	defer ln.Close()

	for {
		// accept: wait for the next client. It returns a NEW socket
		// for this client only.
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		// go: serve this client in its own goroutine and go straight
		// back to Accept. Without it, the next client waits until this
		// one leaves.
		go serve(conn)
	}
}

// serve echoes one client until it closes, then closes our side.
func serve(conn net.Conn) {
	defer conn.Close()
	buf := make([]byte, 1024)
	for {
		// recv(1024): whatever has arrived, 1 to 1024 bytes. These are
		// bytes, not text: a Chinese character may be cut between two
		// reads, so we never decode them, we only send them back.
		n, err := conn.Read(buf)
		if n > 0 {
			if _, werr := conn.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			// io.EOF is the empty read of the notes: the client has
			// closed. Any other error ends this client too.
			return
		}
	}
}
