// Wrong, as in the notes: answers every chunk with a fixed message.
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
			n, err := c.Read(buf)
			if n == 0 || err != nil {
				break
			}
			c.Write([]byte("received your request, processing"))
		}
		c.Close()
	}
}
