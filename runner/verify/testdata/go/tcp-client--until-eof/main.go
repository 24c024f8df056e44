// Wrong: reads until the end of the stream, which never comes.
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
	conn.Write([]byte(strings.TrimSpace(line)))
	all, _ := io.ReadAll(conn)
	fmt.Println(string(all))
}
