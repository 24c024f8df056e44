// Writes to stdout and stderr as fast as it can, forever, with escape
// sequences in it.
package main

import (
	"bytes"
	"os"
)

func main() {
	line := bytes.Repeat([]byte("flood \x1b[2J\x1b]0;pwned\x07 "), 100)
	go func() {
		for {
			os.Stderr.Write(line)
		}
	}()
	for {
		os.Stdout.Write(line)
	}
}
