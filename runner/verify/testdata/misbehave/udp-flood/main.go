// Floods udp-send's receiver with 100,000 empty datagrams, then exits.
package main

import (
	"net"
	"os"
)

func main() {
	c, err := net.Dial("udp", net.JoinHostPort(os.Args[1], os.Args[2]))
	if err != nil {
		panic(err)
	}
	for range 100000 {
		c.Write(nil)
	}
}
