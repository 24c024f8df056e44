package lessons

import (
	"bytes"
	"context"
	"testing"

	"github.com/sockstep/sockstep/lessons/sockettest"
)

// withLab runs f with a fresh lab and checks that no socket outlives it.
func withLab(t *testing.T, f func(l *lab)) {
	t.Helper()
	before := len(sockettest.Sockets(t))
	l := NewSession(Config{}, nil).newLab()
	f(l)
	l.close()
	if after := len(sockettest.Sockets(t)); after != before {
		t.Errorf("sockets: %d before, %d after the experiment", before, after)
	}
}

func TestUDPKeepsBoundaries(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.udpBoundaries(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Reads) != len(boundaryMessages) {
			t.Fatalf("%d datagrams sent, %d recvfrom results", len(boundaryMessages), len(res.Reads))
		}
		for i, m := range boundaryMessages {
			if !bytes.Equal(res.Reads[i], m) {
				t.Errorf("recvfrom %d = %q, want %q", i+1, res.Reads[i], m)
			}
		}
	})
}

func TestTCPIsAStream(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.tcpBoundaries(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		// The number of reads is the kernel's business (usually 1 here);
		// what TCP promises is every byte, in order.
		if len(res.Reads) > len(boundaryMessages) || res.Total() != res.Sent {
			t.Errorf("%d reads, %d of %d bytes", len(res.Reads), res.Total(), res.Sent)
		}
		if got := string(bytes.Join(res.Reads, nil)); got != "onetwothree" {
			t.Errorf("the stream read %q", got)
		}
	})
}

func TestBigWriteArrivesInPieces(t *testing.T) {
	withLab(t, func(l *lab) {
		res, err := l.tcpBigWrite(context.Background(), 1<<20, 64<<10)
		if err != nil {
			t.Fatal(err)
		}
		if res.Pieces < 2 || !res.Intact || res.Largest > 64<<10 {
			t.Errorf("one 1 MiB write: %+v; want several pieces of at most 64 KiB, intact", res)
		}
	})
}

func TestFramingRecoversMessages(t *testing.T) {
	msgs := [][]byte{[]byte("hello"), []byte("a longer second message"), []byte("3"), []byte("")}
	for _, how := range []string{"length", "newline"} {
		t.Run(how, func(t *testing.T) {
			withLab(t, func(l *lab) {
				res, err := l.tcpFraming(context.Background(), how, msgs)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Recovered) != len(msgs) {
					t.Fatalf("recovered %q, want %q", res.Recovered, msgs)
				}
				for i := range msgs {
					if !bytes.Equal(res.Recovered[i], msgs[i]) {
						t.Errorf("message %d = %q, want %q", i+1, res.Recovered[i], msgs[i])
					}
				}
			})
		})
	}
}

func TestNextFrame(t *testing.T) {
	for _, c := range []struct {
		how, in, msg, rest string
		ok                 bool
	}{
		{"newline", "ab\ncd", "ab", "cd", true},
		{"newline", "abc", "", "abc", false},
		{"length", "\x00\x00\x00\x02hi!", "hi", "!", true},
		{"length", "\x00\x00\x00\x05hi", "", "\x00\x00\x00\x05hi", false},
		{"length", "\x00\x00", "", "\x00\x00", false},
	} {
		msg, rest, ok := nextFrame(c.how, []byte(c.in))
		if string(msg) != c.msg || string(rest) != c.rest || ok != c.ok {
			t.Errorf("nextFrame(%s, %q) = %q, %q, %v; want %q, %q, %v", c.how, c.in, msg, rest, ok, c.msg, c.rest, c.ok)
		}
	}
}
