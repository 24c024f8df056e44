// Wrong: treats each chunk as text, and gives up on a split character.
package main

import (
	"fmt"
	"net"
	"os"
	"unicode/utf8"
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
			if !utf8.Valid(buf[:n]) {
				fmt.Fprintln(os.Stderr, "error: invalid UTF-8 in the data received")
				os.Exit(1)
			}
			c.Write([]byte(string(buf[:n])))
		}
		c.Close()
	}
}
