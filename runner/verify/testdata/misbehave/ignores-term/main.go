// Ignores SIGTERM, and has a child that ignores it too.
package main

import (
	"os/exec"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	signal.Ignore(syscall.SIGTERM)
	exec.Command("sleep", "3600").Start() // an ignored signal stays ignored across exec
	time.Sleep(time.Hour)
}
