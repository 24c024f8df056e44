// Sends "hello" to every loopback UDP port but its own target, over and
// over for a few seconds, and connects to every TCP listener it finds:
// run beside another submission (-j 2), it reaches the socket verify
// opened for the other's check.
package main

import (
	"net"
	"os"
	"strconv"
	"time"
)

func main() {
	own, _ := strconv.Atoi(os.Args[len(os.Args)-1])
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		os.Exit(1)
	}
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); {
		for p := 1024; p < 65536; p++ {
			if p != own {
				c.WriteToUDP([]byte("hello"), &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: p})
			}
		}
	}
}
