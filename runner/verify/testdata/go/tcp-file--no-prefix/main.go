// Wrong: sends the file with no length in front.
package main

import (
	"bufio"
	"fmt"
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
	reply, _ := bufio.NewReader(conn).ReadString('\n')
	fmt.Print(reply)
}
