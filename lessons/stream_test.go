//go:build !windows

package lessons_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/sockstep/sockstep/lessons"
	"golang.org/x/sys/unix"
)

func TestSendRecv(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	s, ui := newSession(t, lessons.Config{})
	connected(t, s)
	if f := factsOf(t, s, "conn"); f.RecvQ != 0 {
		t.Fatalf("RecvQ before anything was sent = %d", f.RecvQ)
	}
	mustStep(t, s, `send c text="hello"`)
	c := ui.lastCall(t, "c", "send")
	if c.Text != fmt.Sprintf(`send(%d, "hello", 0)`, s.Socket("c").FD) || c.Ret != "5" || string(c.Data) != "hello" || c.Side != lessons.Client {
		t.Errorf("send call = %+v", c)
	}
	eventually(t, "5 bytes queued at the server", func() bool { return factsOf(t, s, "conn").RecvQ == 5 })
	eventually(t, "the client's send queue to be acknowledged", func() bool { return factsOf(t, s, "c").SendQ == 0 })

	mustStep(t, s, "recv conn size=1024")
	r := ui.lastCall(t, "conn", "recv")
	if r.Text != fmt.Sprintf("recv(%d, 1024, 0)", s.Socket("conn").FD) || r.Ret != "5" || string(r.Data) != "hello" || r.Note != "" || r.Side != lessons.Server {
		t.Errorf("recv call = %+v", r)
	}
	if f := ui.lastFacts(t, "conn"); f.RecvQ != 0 {
		t.Errorf("RecvQ after recv = %d, want 0", f.RecvQ)
	}
}

// TCP is a stream: two sends can come out of one recv, and a small recv
// leaves the rest queued.
func TestRecvStream(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	s, ui := newSession(t, lessons.Config{})
	connected(t, s)
	mustStep(t, s, "send c text=hello", "send c text=world")
	eventually(t, "10 bytes queued", func() bool { return factsOf(t, s, "conn").RecvQ == 10 })
	mustStep(t, s, "recv conn size=7")
	if c := ui.lastCall(t, "conn", "recv"); string(c.Data) != "hellowo" || c.Ret != "7" {
		t.Errorf("recv of 7 = %q (%s), want hellowo", c.Data, c.Ret)
	}
	if f := ui.lastFacts(t, "conn"); f.RecvQ != 3 {
		t.Errorf("RecvQ after a partial recv = %d, want 3", f.RecvQ)
	}
	mustStep(t, s, "recv conn")
	if c := ui.lastCall(t, "conn", "recv"); string(c.Data) != "rld" {
		t.Errorf("second recv = %q, want rld", c.Data)
	}
}

// recv returning 0 is the peer's FIN: the lesson explains it.
func TestRecvEOF(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	connected(t, s)
	mustStep(t, s, "close c")
	mustStep(t, s, "recv conn")
	c := ui.lastCall(t, "conn", "recv")
	if c.Ret != "0" || c.Note != "call.eof" || c.Data != nil || c.Err != nil {
		t.Errorf("recv after the peer closed = %+v, want 0 with note call.eof", c)
	}
}

// send with ask=yes sends what the learner typed.
func TestSendAsk(t *testing.T) {
	t.Parallel()
	s, ui := newSession(t, lessons.Config{})
	connected(t, s)
	ui.script["ask.line"] = []string{"typed"}
	mustStep(t, s, `send c text="default" ask=yes`)
	if c := ui.lastCall(t, "c", "send"); string(c.Data) != "typed" {
		t.Errorf("sent %q, want what was typed", c.Data)
	}
	if q := ui.asked[len(ui.asked)-1]; q.Key != "ask.line" || q.Default != "default" {
		t.Errorf("question = %+v", q)
	}
}

// Closing with unread data aborts the connection: RST instead of FIN, and
// the other side's next recv fails with ECONNRESET.
func TestCloseWithUnreadDataResets(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	s, ui := newSession(t, lessons.Config{})
	connected(t, s)
	mustStep(t, s, "send c text=unread")
	eventually(t, "data queued at the server", func() bool { return factsOf(t, s, "conn").RecvQ > 0 })
	mustStep(t, s, "close conn")
	var packets []string
	for _, e := range s.Timeline() {
		if e.Kind == lessons.EventPacket {
			packets = append(packets, string(e.Side)+":"+e.Text)
		}
	}
	if got := packets[len(packets)-1]; got != "server:RST" || slices.Contains(packets, "server:FIN") {
		t.Errorf("packets = %q, want the close to end with server:RST and no FIN", packets)
	}
	eventually(t, "the client to see the reset (state CLOSED)", func() bool { return factsOf(t, s, "c").State == "CLOSED" })
	err := stepErr(t, s, "recv c")
	if lessons.ErrnoOf(err) != unix.ECONNRESET {
		t.Errorf("recv after the reset = %v, want ECONNRESET", err)
	}
	if c := ui.lastCall(t, "c", "recv"); lessons.ErrnoOf(c.Err) != unix.ECONNRESET {
		t.Errorf("recv call = %+v", c)
	}
}

// send to a connection the other side has reset fails (EPIPE, as
// MSG_NOSIGNAL turns SIGPIPE into an error, or ECONNRESET).
func TestSendAfterReset(t *testing.T) {
	t.Parallel()
	requireLinux(t)
	s, _ := newSession(t, lessons.Config{})
	connected(t, s)
	mustStep(t, s, "send c text=unread")
	eventually(t, "data queued at the server", func() bool { return factsOf(t, s, "conn").RecvQ > 0 })
	mustStep(t, s, "close conn")
	err := stepErr(t, s, "send c text=more")
	if e := lessons.ErrnoOf(err); e != unix.EPIPE && e != unix.ECONNRESET {
		t.Errorf("send after the reset = %v, want EPIPE or ECONNRESET", err)
	}
}

// A recv size is a buffer length: a negative or zero size is a mistake in
// the lesson, not a crash and not an end of stream.
func TestRecvBadSize(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ fn, proto string }{
		{"recv", "tcp"},
		{"recvfrom", "udp"},
	} {
		for _, size := range []string{"-1", "0"} {
			t.Run(tt.fn+" size="+size, func(t *testing.T) {
				t.Parallel()
				s, ui := newSession(t, lessons.Config{WaitLimit: 2 * time.Second})
				if tt.proto == "tcp" {
					connected(t, s)
					mustStep(t, s, "send c text=data")
				} else {
					mustStep(t, s, "socket conn udp", "bind conn port=0", "socket c udp", "sendto c to=conn text=data")
				}
				var err error
				func() {
					defer func() {
						if p := recover(); p != nil {
							t.Errorf("%s size=%s panicked: %v", tt.fn, size, p)
						}
					}()
					err = stepErr(t, s, tt.fn+" conn size="+size)
				}()
				if !errors.Is(err, lessons.ErrLesson) {
					t.Errorf("%s size=%s: error %v, want ErrLesson", tt.fn, size, err)
				}
				for _, c := range ui.callsOf("conn") {
					if c.Note == "call.eof" {
						t.Errorf("%s size=%s reported end of stream while data was waiting: %+v", tt.fn, size, c)
					}
				}
			})
		}
	}
}
