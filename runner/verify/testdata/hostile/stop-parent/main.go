// Stops its parent (the grader, when nothing isolates the program), which
// would then wait for a SIGCONT that never comes.
package main

import (
	"syscall"
	"time"
)

func main() {
	syscall.Kill(syscall.Getppid(), syscall.SIGSTOP)
	time.Sleep(10 * time.Minute)
}
