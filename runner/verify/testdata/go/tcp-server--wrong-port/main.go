// Wrong: listens on a port of its own (the kernel picks one) instead of
// PORT.
package main

import (
	"io"
	"net"
	"os"
)

func main() {
	l, err := net.Listen("tcp", net.JoinHostPort(os.Args[1], "0"))
	if err != nil {
		panic(err)
	}
	for {
		c, err := l.Accept()
		if err != nil {
			panic(err)
		}
		go func() { io.Copy(c, c); c.Close() }()
	}
}
