// Starts two children in its own process group, then hangs.
package main

import (
	"os/exec"
	"time"
)

func main() {
	for range 2 {
		exec.Command("sleep", "3600").Start()
	}
	time.Sleep(time.Hour)
}
