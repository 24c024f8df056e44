// Wrong: each client gets one recv and one echo, then the server closes.
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
		go func() {
			buf := make([]byte, 1024)
			n, _ := c.Read(buf)
			c.Write(buf[:n])
			c.Close()
		}()
	}
}
