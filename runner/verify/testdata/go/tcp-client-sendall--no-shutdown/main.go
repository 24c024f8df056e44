// Wrong: everything is sent, but the end of the upload is never marked;
// the client waits for the reply, the server for the end.
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
	io.Copy(os.Stdout, conn)
}
