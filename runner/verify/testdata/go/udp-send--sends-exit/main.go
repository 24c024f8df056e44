// Wrong: sends each line before checking for "exit".
package main

import (
	"bufio"
	"net"
	"os"
)

func main() {
	conn, _ := net.Dial("udp", net.JoinHostPort(os.Args[1], os.Args[2]))
	defer conn.Close()
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		conn.Write([]byte(in.Text()))
		if in.Text() == "exit" {
			return
		}
	}
}
