// Moves into its parent's process group, out of the one verify made for
// it, then hangs: killing the group verify made finds nobody.
package main

import (
	"syscall"
	"time"
)

func main() {
	if g, err := syscall.Getpgid(syscall.Getppid()); err == nil {
		syscall.Setpgid(0, g)
	}
	time.Sleep(10 * time.Minute)
}
