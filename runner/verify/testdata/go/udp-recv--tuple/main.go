// Wrong: prints the address the way Python prints a tuple.
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
	n, from, _ := conn.ReadFromUDP(buf)
	fmt.Printf("('%s', %d) %s\n", from.IP, from.Port, buf[:n])
}
