// Wrong: sends and closes without reading the reply.
package main

import (
	"bufio"
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
	conn.Write([]byte(strings.TrimSpace(line)))
	conn.Close()
}
