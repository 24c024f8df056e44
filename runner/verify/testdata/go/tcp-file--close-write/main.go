// Honest: uploads, half-closes with CloseWrite, reads the answer until the
// server closes.
package main

import (
	"encoding/binary"
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
	conn.Write(binary.BigEndian.AppendUint32(nil, uint32(len(data))))
	conn.Write(data)
	conn.(*net.TCPConn).CloseWrite()
	io.Copy(os.Stdout, conn)
}
