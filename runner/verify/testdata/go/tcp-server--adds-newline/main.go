// Wrong: adds a newline to every echo.
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
			if n > 0 {
				c.Write(append(buf[:n:n], '\n'))
			}
			if err != nil {
				break
			}
		}
		c.Close()
	}
}
