// Wrong: T read as milliseconds, so each wait lasts 1 ms.
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
		conn.SetReadDeadline(time.Now().Add(time.Millisecond))
		n, _, err := conn.ReadFromUDP(buf)
		if err != nil {
			fmt.Println("timeout")
			return
		}
		fmt.Printf("%s\n", buf[:n])
	}
}
