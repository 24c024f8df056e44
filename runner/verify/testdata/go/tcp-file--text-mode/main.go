// Wrong: handles the file as text, like Python's text-mode stdin with
// errors="replace": invalid bytes become U+FFFD and CRLF becomes LF.
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
)

func main() {
	raw, _ := io.ReadAll(os.Stdin)
	data := bytes.ToValidUTF8(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), []byte("\uFFFD"))
	conn, err := net.Dial("tcp", net.JoinHostPort(os.Args[1], os.Args[2]))
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	var p [4]byte
	binary.BigEndian.PutUint32(p[:], uint32(len(data)))
	conn.Write(append(p[:], data...))
	reply, _ := bufio.NewReader(conn).ReadString('\n')
	fmt.Print(reply)
}
