// Command udp-recv is the reference solution of the udp-recv exercise.
//
//	go run ./content/solutions/udp-recv HOST PORT
//
// It binds HOST:PORT, waits for one datagram and prints the sender's
// address and the message on one line: "IP:PORT MESSAGE".
package main

import (
	"fmt"
	"net"
	"os"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: udp-recv HOST PORT")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "udp-recv:", err)
		os.Exit(1)
	}
}

func run(host, port string) error {
	addr, err := net.ResolveUDPAddr("udp", net.JoinHostPort(host, port))
	if err != nil {
		return err
	}

	// socket + bind in one call. HOST must be an address of THIS machine:
	// binding someone else's address fails with "cannot assign requested
	// address" (EADDRNOTAVAIL).
	conn, err := net.ListenUDP("udp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()

	// recvfrom(1024): blocks until a datagram arrives, then returns the
	// whole datagram (up to 1024 bytes) and who sent it.
	buf := make([]byte, 1024)
	n, from, err := conn.ReadFromUDP(buf)
	if err != nil {
		return err
	}

	// from prints as "IP:PORT". The bytes are UTF-8 text, which is what a
	// Go string holds, so no decoding step is needed here (Python needs
	// data.decode("utf-8")).
	fmt.Printf("%s %s\n", from, buf[:n])
	return nil
}
