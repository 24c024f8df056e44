// Wrong: reads the lines but never sends them.
package main

import (
	"bufio"
	"os"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() && in.Text() != "exit" {
	}
}
