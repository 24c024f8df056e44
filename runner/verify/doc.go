// Package verify checks a learner's socket program against an exercise's
// contract: it starts the program (any language) with HOST and PORT,
// feeds its standard input, plays the other side over real loopback
// sockets, and compares what it observed with the reference using go-cmp.
//
// A check is one Run: pick a loopback port, start the program in its own
// process group, let the exercise's peer talk to it, stop everything, then
// turn the Observation into Facts (the part of the behaviour the contract
// fixes) and compare them with the expected Facts. Differences and hints
// are rendered in the learner's language from content.Text.
//
// Nothing here ever uses an address other than 127.0.0.1.
package verify
