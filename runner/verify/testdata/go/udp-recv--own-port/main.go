// Wrong: ignores the PORT argument and binds a port of its own choosing
// (port 0 here, so that parallel tests never collide).
package main

import (
	"fmt"
	"net"
)

func main() {
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		panic(err)
	}
	buf := make([]byte, 1024)
	n, from, _ := conn.ReadFromUDP(buf)
	fmt.Println(from, string(buf[:n]))
}
