// udp-send that sends 60 KB datagrams as fast as it can for 2 seconds.
package main

import (
	"net"
	"os"
	"time"
)

func main() {
	c, err := net.Dial("udp", net.JoinHostPort(os.Args[1], os.Args[2]))
	if err != nil {
		os.Exit(1)
	}
	d := make([]byte, 60000)
	for end := time.Now().Add(2 * time.Second); time.Now().Before(end); {
		c.Write(d) // ECONNREFUSED once verify has closed its socket: go on
	}
}
