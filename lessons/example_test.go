package lessons_test

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
)

// printUI prints each call by socket and function, without descriptors or
// ports, which vary from run to run.
type printUI struct{}

func (printUI) Call(c lessons.Call) {
	fn, _, _ := strings.Cut(c.Text, "(")
	side := string(c.Side)
	if side == "" {
		side = "-" // no side yet: a socket that has not bound or connected
	}
	switch {
	case c.Err != nil:
		fmt.Printf("%-6s %-5s %s %s\n", side, c.Socket, fn, lessons.ErrnoName(lessons.ErrnoOf(c.Err)))
	case c.Data != nil:
		fmt.Printf("%-6s %-5s %s %q\n", side, c.Socket, fn, c.Data)
	default:
		fmt.Printf("%-6s %-5s %s\n", side, c.Socket, fn)
	}
}
func (printUI) Facts([]lessons.Facts)     {}
func (printUI) Note(key string, _ ...any) { fmt.Println("note:", key) }
func (printUI) Command(cmd string)        { fmt.Println("$", cmd) }
func (printUI) Ask(_ context.Context, q lessons.Question) (string, error) {
	return q.Default, nil // sockstep plays the other side
}

// A UDP receiver lesson in three steps. The directives are what a lesson's
// Markdown holds; port=0 lets the kernel pick a free port.
func ExampleSession_RunStep() {
	l, err := content.Parse("example.md", []byte(`---
id: example
---
## Create and bind
<!-- step: socket rx udp -->
<!-- step: bind rx port=0 -->

## A letter is posted
<!-- step: socket tx udp by=peer -->
<!-- step: sendto tx to=rx text="hello" -->

## Receive it
<!-- step: recvfrom rx -->

## What if the address is not ours?
<!-- step: socket wrong udp -->
<!-- step: bind wrong addr=192.0.2.1:7788 expect=EADDRNOTAVAIL -->
<!-- step: close wrong -->
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	s := lessons.NewSession(lessons.Config{}, printUI{})
	defer s.Close()
	for _, st := range l.Steps {
		if err := s.RunStep(context.Background(), st.Directives); err != nil {
			fmt.Println("step failed:", err)
			return
		}
	}
	// Output:
	// -      rx    socket
	// server rx    bind
	// -      tx    socket
	// client tx    sendto "hello"
	// server rx    recvfrom "hello"
	// -      wrong socket
	// -      wrong bind EADDRNOTAVAIL
	// -      wrong close
}

// Translations differ in what they send, not in what they do.
func ExampleSignature() {
	en := content.Directive{Action: "send", Pos: []string{"c"}, Args: map[string]string{"text": "hello"}}
	zh := content.Directive{Action: "send", Pos: []string{"c"}, Args: map[string]string{"text": "你好"}}
	fmt.Println(lessons.Signature(en))
	fmt.Println(lessons.Signature(en) == lessons.Signature(zh))
	// Output:
	// send c
	// true
}

// The commands a learner pastes into a second terminal to play the sender.
func ExampleExternalCommands() {
	for _, c := range lessons.ExternalCommands("udp-sender", netip.MustParseAddrPort("127.0.0.1:7788"), "hello") {
		fmt.Println(c)
	}
	// Output:
	// python3 -c "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto('hello'.encode(), ('127.0.0.1', 7788)); s.close()"
	// printf '%s' 'hello' | nc -u -w1 127.0.0.1 7788
}
