// Wrong: prints the datagram the way Python prints bytes, b'...'.
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
	fmt.Print(from, " b'")
	for _, c := range buf[:n] {
		if c < 0x80 {
			fmt.Printf("%c", c)
		} else {
			fmt.Printf("\\x%02x", c)
		}
	}
	fmt.Println("'")
}
