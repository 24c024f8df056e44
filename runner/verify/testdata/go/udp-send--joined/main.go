// Wrong: collects every line and sends them all in one datagram.
package main

import (
	"bufio"
	"net"
	"os"
	"strings"
)

func main() {
	conn, _ := net.Dial("udp", net.JoinHostPort(os.Args[1], os.Args[2]))
	defer conn.Close()
	var all []string
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() && in.Text() != "exit" {
		all = append(all, in.Text())
	}
	conn.Write([]byte(strings.Join(all, "")))
}
