// Wrong: keeps receiving after the first datagram.
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
		n, from, _ := conn.ReadFromUDP(buf)
		fmt.Println(from, string(buf[:n]))
	}
}
