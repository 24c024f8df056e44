package verify

// Caps on what verify keeps of one run, whatever the program sends: a
// verdict never needs more, and a flood must not grow verify's memory.
const (
	maxDatagrams     = 10000   // datagrams kept of one run
	maxDatagramBytes = 1 << 20 // bytes of datagrams kept of one run
)

// keep reports whether one more datagram of n bytes fits under the caps,
// and counts it when it does.
func (p *udpReceiver) keep(n int) bool {
	if p.count >= maxDatagrams || p.kept+n > maxDatagramBytes {
		return false
	}
	p.count++
	p.kept += n
	return true
}

// flooded reports a run that verify cut short because the program sent
// more than it keeps (maxReceived on a connection, or the datagram caps).
func (o *Observation) flooded() bool {
	if o.DatagramsOverflowed {
		return true
	}
	for _, c := range o.Conns {
		if c.Overflowed {
			return true
		}
	}
	return false
}
