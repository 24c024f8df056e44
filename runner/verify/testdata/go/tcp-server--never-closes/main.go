// Wrong: echoes, but never closes a client's socket, and so never goes
// back to accept.
package main

import (
	"net"
	"os"
)

func main() {
	ln, err := net.Listen("tcp", net.JoinHostPort(os.Args[1], os.Args[2]))
	if err != nil {
		panic(err)
	}
	for {
		c, _ := ln.Accept()
		buf := make([]byte, 1024)
		for {
			n, _ := c.Read(buf)
			if n > 0 {
				c.Write(buf[:n])
			}
		}
	}
}
