// Wrong: writes the length little-endian.
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
	binary.LittleEndian.PutUint32(p[:], uint32(len(data)))
	conn.Write(append(p[:], data...))
	reply, _ := bufio.NewReader(conn).ReadString('\n')
	fmt.Print(reply)
}
