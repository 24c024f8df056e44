package verify

import (
	"errors"
	"math/rand/v2"
	"sync"
)

// Ports for programs that bind themselves are chosen at random below the
// kernel's ephemeral range: the kernel never hands those out on its own, so
// the outgoing connections of other checks running at the same time cannot
// take them. A port is probed (bound without SO_REUSEADDR, so that even a
// lingering TIME_WAIT counts as taken) and remembered until released, so
// two checks in one process never get the same one; between processes the
// random choice and the retry on "address already in use" do the rest.
var ports = struct {
	sync.Mutex
	inUse map[int]bool
}{inUse: map[int]bool{}}

var errNoPort = errors.New("no free loopback port was found")

// reservePort picks a free loopback port for the program to bind.
func reservePort() (port int, release func(), err error) {
	lo, hi := candidatePorts()
	for range 200 {
		p := lo + rand.IntN(hi-lo)
		ports.Lock()
		if ports.inUse[p] || !portFree(p) {
			ports.Unlock()
			continue
		}
		ports.inUse[p] = true
		ports.Unlock()
		return p, func() {
			ports.Lock()
			delete(ports.inUse, p)
			ports.Unlock()
		}, nil
	}
	return 0, nil, errNoPort
}
