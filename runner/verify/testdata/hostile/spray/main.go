// Sends "hello" to every loopback UDP port but its own target, over and
// over for a few seconds: run beside another submission (-j 2), it
// reaches the socket verify opened for the other's check.
//
// It sprays only inside a network namespace whose one interface is lo
// (the test creates one): on the machine's own loopback it would reach
// every other program's sockets. Anywhere else it exits at once.
package main

import (
	"bufio"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	if !onlyLoopback() {
		os.Exit(3)
	}
	own, _ := strconv.Atoi(os.Args[len(os.Args)-1])
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		os.Exit(1)
	}
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); {
		for p := 1024; p < 65536; p++ {
			if p != own {
				c.WriteToUDP([]byte("hello"), &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: p})
			}
		}
	}
}

// onlyLoopback reports whether lo is the only network interface here, as
// in a network namespace just created.
func onlyLoopback() bool {
	f, err := os.Open("/proc/net/dev")
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		name, _, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue // the two header lines
		}
		if strings.TrimSpace(name) != "lo" {
			return false
		}
		n++
	}
	return n == 1
}
