// tcp-client that converses correctly, then sends 1 GB on the same
// connection before closing: verify must keep a bounded start of it.
package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"strings"
)

func main() {
	c, err := net.Dial("tcp", net.JoinHostPort(os.Args[1], os.Args[2]))
	if err != nil {
		os.Exit(1)
	}
	line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
	c.Write([]byte(strings.TrimSuffix(line, "\n")))
	buf := make([]byte, 4096)
	n, _ := c.Read(buf)
	fmt.Println(string(buf[:n]))
	chunk := make([]byte, 64<<10)
	for i := range chunk {
		chunk[i] = 'x'
	}
	for sent := 0; sent < 1<<30; sent += len(chunk) {
		if _, err := c.Write(chunk); err != nil {
			break
		}
	}
	c.Close()
}
