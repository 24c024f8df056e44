// Honest: half-closes with CloseWrite and reads the reply until the server
// closes, which verify does once the client has closed its side.
package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
)

func main() {
	line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
	conn, err := net.Dial("tcp", net.JoinHostPort(os.Args[1], os.Args[2]))
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	conn.Write([]byte(strings.TrimRight(line, "\n")))
	conn.(*net.TCPConn).CloseWrite()
	all, _ := io.ReadAll(conn)
	fmt.Println(string(all))
}
