// Command tcp-file is the reference solution of the tcp-file exercise.
//
//	go run ./content/solutions/tcp-file HOST PORT < some-file
//
// It uploads its standard input as one message: a 4-byte big-endian length,
// then the bytes. Then it prints the server's one-line answer and closes.
package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"net"
	"os"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: tcp-file HOST PORT < FILE")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "tcp-file:", err)
		os.Exit(1)
	}
}

func run(host, port string) error {
	// The file is bytes, not text: read it as it is, with no decoding
	// and no newline conversion (in Python: sys.stdin.buffer.read()).
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	if len(data) > math.MaxUint32 {
		return fmt.Errorf("the file is too big for a 4-byte length (%d bytes)", len(data))
	}

	conn, err := net.Dial("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return err
	}
	defer conn.Close()

	// TCP delivers a stream of bytes with no boundaries, so the receiver
	// cannot see where the file ends unless we say so first. The length
	// goes in 4 bytes, most significant byte first ("big-endian", the
	// network byte order): 100000 is 00 01 86 a0.
	var prefix [4]byte
	binary.BigEndian.PutUint32(prefix[:], uint32(len(data)))
	if _, err := conn.Write(prefix[:]); err != nil {
		return err
	}
	// Write returns only when every byte is handed to the kernel. (A
	// single send() in C or Python may take only part of a big buffer;
	// loop, or use Python's sendall.)
	if _, err := conn.Write(data); err != nil {
		return err
	}

	// The answer is one line; read up to and including its newline.
	reply, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return fmt.Errorf("no answer from the server: %w", err)
	}
	fmt.Print(reply)
	return nil
}
