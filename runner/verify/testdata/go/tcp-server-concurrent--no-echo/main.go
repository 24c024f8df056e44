// Wrong: one goroutine per client, but it only reads.
package main

import (
	"io"
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
		go func() {
			io.Copy(io.Discard, c)
			c.Close()
		}()
	}
}
