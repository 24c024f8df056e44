// Wrong: the reply is read with one recv, as if it came in one piece.
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
	conn.Write(data)
	conn.(*net.TCPConn).CloseWrite()
	buf := make([]byte, 4096)
	n, _ := conn.Read(buf)
	os.Stdout.Write(buf[:n])
}
