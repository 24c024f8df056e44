// Wrong: serves the first client and exits.
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
	c, _ := ln.Accept()
	io.Copy(c, c)
	c.Close()
	ln.Close()
}
