// Wrong: like a single send() that took only part of the buffer.
package main

import (
	"bufio"
	"encoding/binary"
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
	var p [4]byte
	binary.BigEndian.PutUint32(p[:], uint32(len(data)))
	conn.Write(p[:])
	conn.Write(data[:65536])
	reply, _ := bufio.NewReader(conn).ReadString('\n')
	fmt.Print(reply)
}
