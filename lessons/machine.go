package lessons

import (
	"net"
	"net/netip"
)

// Interface is one of this machine's network interfaces and its addresses.
type Interface struct {
	Name  string
	Up    bool
	Addrs []netip.Prefix
}

// Interfaces lists the machine's own addresses: the only ones a socket can
// bind (any other gives EADDRNOTAVAIL). It only reads; nothing is sent.
func Interfaces() ([]Interface, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	var out []Interface
	for _, i := range ifs {
		it := Interface{Name: i.Name, Up: i.Flags&net.FlagUp != 0}
		addrs, _ := i.Addrs()
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				if p, err := netip.ParsePrefix(n.String()); err == nil {
					it.Addrs = append(it.Addrs, p)
				}
			}
		}
		out = append(out, it)
	}
	return out, nil
}
