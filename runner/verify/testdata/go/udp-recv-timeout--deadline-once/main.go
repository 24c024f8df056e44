// Wrong: one deadline for the whole run, set before the first read.
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
	conn.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	buf := make([]byte, 1024)
	for {
		n, _, err := conn.ReadFromUDP(buf)
		if err != nil {
			fmt.Println("timeout")
			return
		}
		fmt.Printf("%s\n", buf[:n])
	}
}
