//go:build !windows

package lessons

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"

	"golang.org/x/sys/unix"
)

// A connected UDP socket takes datagrams from its peer only: the
// stranger's sendto succeeded, and its datagram never arrived (udp(7)).
// The kernel found no socket for it, so it counted a datagram to a port
// nobody listens on (Udp NoPorts).
func TestConnectedUDPFilters(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.udpConnectedFilter(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if res.StrangerSent != len("from a stranger") || res.PeerSent != len("from the peer") {
			t.Errorf("sends returned %d and %d; both should succeed", res.StrangerSent, res.PeerSent)
		}
		if res.Got != "from the peer" || res.From != res.PeerAddr {
			t.Errorf("recvfrom got %q from %s; want the peer's datagram from %s", res.Got, res.From, res.PeerAddr)
		}
		if res.More {
			t.Errorf("the stranger's datagram reached a socket connected to someone else")
		}
		// Other tests may add to the machine-wide counter, never take
		// from it.
		if res.NoPorts < res.Strangers || res.Strangers != 1 {
			t.Errorf("Udp NoPorts grew by %d for %d stranger datagram(s): the stranger's datagram should find no socket", res.NoPorts, res.Strangers)
		}
		// The counter is the machine's: the row says so, with the
		// lesson's own count beside the growth.
		rows := filterRows(res)
		last := rows[len(rows)-1]
		if last.Key != "exp.connected-udp.noports" || len(last.Args) != 2 || last.Args[0] != 1 || last.Args[1] != res.NoPorts {
			t.Fatalf("rows %+v: want the NoPorts row with the 1 stranger datagram, then the growth %d", rows, res.NoPorts)
		}
		for _, lang := range []content.Lang{content.English, content.Chinese} {
			got := NewSession(Config{Lang: lang}, nil).text(last.Key, last.Args...)
			if !strings.Contains(got, " 1 ") || !strings.Contains(got, fmt.Sprint(res.NoPorts)) ||
				!strings.Contains(got, map[content.Lang]string{content.English: "whole machine", content.Chinese: "整台机器"}[lang]) {
				t.Errorf("%s: %q does not give the lesson's 1 datagram, the growth %d and that the counter is the whole machine's", lang, got, res.NoPorts)
			}
		}
	})
}

// The ICMP error for a connected socket is reported once, on the next
// call, and then cleared (socket(7) SO_ERROR).
func TestConnectedUDPRefusedOnce(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.udpConnectedRefused(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if res.Errs[0] != nil || !errors.Is(res.Errs[1], unix.ECONNREFUSED) || res.Errs[2] != nil {
			t.Errorf("three sends to a closed port: %v; want ok, ECONNREFUSED, ok", res.Errs)
		}
	})
}

// A zero-length datagram is a datagram: recvfrom returns 0 with a sender,
// and the socket goes on. TCP's send of 0 bytes sends nothing; its recv
// of 0 means the peer closed.
func TestZeroLength(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.zeroLength(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if res.UDPLen != 0 || res.UDPFrom == "" || res.UDPNext != "still here" {
			t.Errorf("UDP: %+v; want 0 bytes with a sender, then \"still here\"", res)
		}
		if res.TCPSent != 0 || res.TCPQueued || res.TCPEOF != 0 {
			t.Errorf("TCP: %+v; want send 0, nothing to read, then recv 0 at close", res)
		}
	})
}
