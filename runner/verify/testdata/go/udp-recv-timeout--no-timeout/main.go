// Wrong: no time limit at all; the last recvfrom waits for ever.
package main

import (
	"fmt"
	"net"
	"os"
)

func main() {
	addr, _ := net.ResolveUDPAddr("udp", net.JoinHostPort(os.Args[1], os.Args[2]))
	conn, err := net.ListenUDP("udp", addr)
	if err != nil {
		panic(err)
	}
	buf := make([]byte, 1024)
	for {
		n, _, err := conn.ReadFromUDP(buf)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s\n", buf[:n])
	}
}
