// Crashes at once, with an error message.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "Traceback (most recent call last):")
	fmt.Fprintln(os.Stderr, "NameError: name 'SOCK_DGRM' is not defined")
	os.Exit(3)
}
