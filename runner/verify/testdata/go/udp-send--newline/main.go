// Wrong: sends each line with its newline.
package main

import (
	"bufio"
	"net"
	"os"
)

func main() {
	conn, _ := net.Dial("udp", net.JoinHostPort(os.Args[1], os.Args[2]))
	defer conn.Close()
	in := bufio.NewReader(os.Stdin)
	for {
		line, err := in.ReadString('\n')
		if err != nil || line == "exit\n" {
			return
		}
		conn.Write([]byte(line))
	}
}
