// Wrong, as in the notes: binds a LAN address the machine does not own.
// This test program only reports the error bind would give, so that no
// test ever uses an address other than loopback.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "listen udp 192.168.0.1:7788: bind: cannot assign requested address")
	os.Exit(1)
}
