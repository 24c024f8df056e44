// Kills its parent (the grader, when nothing isolates the program).
package main

import (
	"syscall"
	"time"
)

func main() {
	syscall.Kill(syscall.Getppid(), syscall.SIGKILL)
	time.Sleep(10 * time.Minute)
}
