// Wrong: the timeout is treated as a failure (like an uncaught
// socket.timeout in Python): error message, exit status 1.
package main

import (
	"fmt"
	"net"
	"os"
	"time"
)

func main() {
	addr, _ := net.ResolveUDPAddr("udp", net.JoinHostPort(os.Args[1], os.Args[2]))
	conn, err := net.ListenUDP("udp", addr)
	if err != nil {
		panic(err)
	}
	buf := make([]byte, 1024)
	for {
		conn.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
		n, _, err := conn.ReadFromUDP(buf)
		if err != nil {
			fmt.Fprintln(os.Stderr, "error:", err)
			os.Exit(1)
		}
		fmt.Printf("%s\n", buf[:n])
	}
}
