// Wrong: serves everyone at once, but with an operating-system thread per
// client (as Python's threading would), not one thread.
package main

import (
	"io"
	"net"
	"os"
	"runtime"
)

func main() {
	l, err := net.Listen("tcp", net.JoinHostPort(os.Args[1], os.Args[2]))
	if err != nil {
		panic(err)
	}
	for {
		c, err := l.Accept()
		if err != nil {
			panic(err)
		}
		go func() {
			// The goroutine keeps its thread to itself, and the thread
			// ends with it.
			runtime.LockOSThread()
			io.Copy(c, c)
			c.Close()
		}()
	}
}
