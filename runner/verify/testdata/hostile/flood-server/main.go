// tcp-server that answers every client with 100 MB instead of its echo.
package main

import (
	"net"
	"os"
)

func main() {
	l, err := net.Listen("tcp", net.JoinHostPort(os.Args[1], os.Args[2]))
	if err != nil {
		os.Exit(1)
	}
	chunk := make([]byte, 64<<10)
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		for sent := 0; sent < 100<<20; sent += len(chunk) {
			if _, err := c.Write(chunk); err != nil {
				break
			}
		}
		c.Close()
	}
}
