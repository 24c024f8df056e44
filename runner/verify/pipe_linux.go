package verify

import (
	"fmt"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockstep/sockstep/runner/verify/proc"
)

// writtenSoFar is how many bytes the program has written to its standard
// output, counting those still in the pipe, once the pipe is drained. It
// is called while the program waits for verify's reply, so whatever it
// printed before (a prompt) is in the count, whatever the scheduling of
// the goroutine that copies the pipe: the pipe's fill is read through
// /proc/PID/fd/1 with FIONREAD (TIOCINQ, pipe(7)). 0 when it cannot be known.
func writtenSoFar(p *proc.Process) int {
	f, err := unix.Open(fmt.Sprintf("/proc/%d/fd/1", p.Pgid()), unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0
	}
	defer unix.Close(f)
	last := int64(-1)
	for i := 0; i < 250; i++ { // at most 50 ms
		n, err := unix.IoctlGetInt(f, unix.TIOCINQ)
		if err != nil {
			return 0
		}
		t := p.Stdout.Total()
		if n == 0 && t == last {
			return int(t)
		}
		last = t
		time.Sleep(200 * time.Microsecond)
	}
	return 0
}
