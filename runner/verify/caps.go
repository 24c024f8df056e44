package verify

// Caps on what verify keeps of one run, whatever the program sends: a
// verdict never needs more, and a flood must not grow verify's memory.
const (
	maxDatagrams     = 10000   // datagrams kept of one run
	maxDatagramBytes = 1 << 20 // bytes of datagrams kept of one run
)

// keep reports whether one more datagram of n bytes fits under the caps,
// and counts it when it does; when it does not, the cap it would pass.
func (p *udpReceiver) keep(n int) (ok bool, full floodCap) {
	switch {
	case p.count >= maxDatagrams:
		return false, capDatagrams
	case p.kept+n > maxDatagramBytes:
		return false, capDatagramBytes
	}
	p.count++
	p.kept += n
	return true, ""
}

// floodCap names the cap a flooding program reached, for the hint.
type floodCap string

const (
	capConnection    floodCap = "connection"     // maxReceived on one connection
	capDatagrams     floodCap = "datagrams"      // maxDatagrams
	capDatagramBytes floodCap = "datagram_bytes" // maxDatagramBytes
)

// floodedBy is the cap a flooded run reached: the datagram cap that
// stopped the receiver, or the connection's.
func (o *Observation) floodedBy() floodCap {
	if o.DatagramsOverflowed {
		if o.DatagramCap == capDatagramBytes {
			return capDatagramBytes
		}
		return capDatagrams
	}
	return capConnection
}

// floodHint says which cap was reached, with its size, in the learner's
// language (verify.flood.*), inside verify.hint.flooded.
func floodHint(o *Observation) Hint {
	var what catText
	switch c := o.floodedBy(); c {
	case capDatagrams:
		what = catText{"verify.flood." + string(c), []any{maxDatagrams}}
	case capDatagramBytes:
		what = catText{"verify.flood." + string(c), []any{maxDatagramBytes >> 20}}
	default:
		what = catText{"verify.flood." + string(c), []any{maxReceived >> 10}}
	}
	return hint("flooded", what)
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
