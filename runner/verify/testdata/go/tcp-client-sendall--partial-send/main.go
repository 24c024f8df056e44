// Wrong: like a single send() that took only part of the buffer.
package main

import (
	"io"
	"net"
	"os"
)

func main() {
	data, _ := io.ReadAll(os.Stdin)
	conn, err := net.Dial("tcp", net.JoinHostPort(os.Args[1], os.Args[2]))
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	conn.Write(data[:65536])
	conn.(*net.TCPConn).CloseWrite()
	io.Copy(os.Stdout, conn)
}
