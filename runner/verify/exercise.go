package verify

import "sort"

// exercise is the machine side of one exercise: how to play the other end
// and what the contract expects. The words are in content/exercises.
type exercise struct {
	id     string
	binds  bool // the program binds HOST:PORT itself (verify picks a free port)
	server bool // the program should still be serving when verify stops it
	// stdin makes what the program is fed; nil for nothing. A function,
	// so that the large inputs are made only when they are used, not at
	// every start of sockstep (see input for a fixed text).
	stdin func() []byte
	// replyLast: the program prints the server's reply as its last line;
	// what it printed before (a prompt, a "connected") is ignored.
	replyLast bool
	// decodeHint is the hint key for a program that failed to decode
	// bytes as text, which means something different in each exercise.
	decodeHint string
	newPeer    func() peer
	// want and got turn a run into comparable Facts; diagnose names the
	// likely mistake when they differ.
	want     func(o *Observation) Facts
	got      func(o *Observation) Facts
	diagnose func(o *Observation, want, got Facts) []Hint
}

// peer plays verify's side of one run.
type peer interface {
	// setup opens verify's own sockets before the program starts and
	// returns the port to hand it (0 when the program binds: the session
	// has reserved one).
	setup(s *session) (port int, err error)
	// play talks to the program until the scenario is done or time is up.
	play(s *session)
	// close releases everything setup and play opened.
	close()
}

var registry = map[string]*exercise{}

func register(e *exercise) { registry[e.id] = e }

// input is an exercise's stdin that is a fixed text.
func input(s string) func() []byte { return func() []byte { return []byte(s) } }

// IDs lists the exercises verify can check, sorted.
func IDs() []string {
	ids := make([]string, 0, len(registry))
	for id := range registry {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Known reports whether verify can check the exercise id.
func Known(id string) bool { return registry[id] != nil }
