// Wrong: sends Chinese in GBK, not UTF-8.
package main

import (
	"bufio"
	"net"
	"os"
)

var gbk = map[rune][]byte{'你': {0xc4, 0xe3}, '好': {0xba, 0xc3}, '，': {0xa3, 0xac}, '世': {0xca, 0xc0}, '界': {0xbd, 0xe7}}

func main() {
	conn, _ := net.Dial("udp", net.JoinHostPort(os.Args[1], os.Args[2]))
	defer conn.Close()
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() && in.Text() != "exit" {
		var b []byte
		for _, r := range in.Text() {
			if g, ok := gbk[r]; ok {
				b = append(b, g...)
			} else {
				b = append(b, byte(r))
			}
		}
		conn.Write(b)
	}
}
