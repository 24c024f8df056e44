package lessons

import (
	"context"
	"testing"
)

func TestTruncation(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.udpTruncation(context.Background(), 2000, 1024)
		if err != nil {
			t.Fatal(err)
		}
		if res.RealLen != 2000 || res.Read != 1024 || !res.Truncflg {
			t.Errorf("MSG_TRUNC: %+v; want real length 2000, 1024 read, flag set", res)
		}
		if res.Next != "next" {
			t.Errorf("the read after the big datagram got %q: the rest of a datagram must be discarded", res.Next)
		}
	})
	withLab(t, func(l *lab) {
		res, err := l.tcpNoTruncation(context.Background(), 2000, 1024)
		if err != nil {
			t.Fatal(err)
		}
		if res.Total() != 2000 || len(res.Reads) < 2 {
			t.Errorf("TCP: %d bytes in %d reads; want all 2000, in at least 2", res.Total(), len(res.Reads))
		}
	})
}
