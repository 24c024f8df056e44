// Wrong: close instead of shutdown(SHUT_WR): the upload ends, and so does
// the program's chance to read the reply.
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
	conn.Write(data)
	conn.Close()
}
