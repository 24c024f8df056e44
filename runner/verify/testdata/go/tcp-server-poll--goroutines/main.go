// Honest: a goroutine per client, not a thread. Go's runtime waits on
// every socket together with epoll (its network poller) and runs the
// goroutines on a few threads, so the server stays one poller; its thread
// count does not follow its clients.
package main

import (
	"io"
	"net"
	"os"
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
			io.Copy(c, c)
			c.Close()
		}()
	}
}
