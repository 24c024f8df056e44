// Package lessons is the action side of sockstep: every socket stage a
// lesson can drive, each one a small function over golang.org/x/sys/unix so
// that one stage is one visible system call, and the kernel inspections that
// show what changed.
//
// The standard net package folds socket, bind and listen into one call
// (net.Listen) and hides the file descriptor; a learner who is being taught
// those stages needs to see each of them happen, so this package does not
// use it for lesson sockets.
//
// A Session owns the sockets of one lesson run, both the learner's and
// those sockstep opens to play the other side ("peer" sockets). Directives
// from the lesson text (see package content) are run with Session.Run;
// what happened is reported through the UI interface as it happens, so a
// loop step can show each iteration.
//
// What the package holds:
//
//   - The step directives: each is one Spec in the directives list
//     (actions.go), which alone says its arguments, their defaults and
//     bounds, which of them name sockets it uses or creates, and its
//     preview; Validate, Check, Preview, PeerDirectives and RunStep read it.
//     The calls themselves are Session methods, one file per stage
//     (socket.go, bind.go, listen.go, connect.go, stream.go, datagram.go,
//     close.go, sockopt.go), every one reported through begin and done
//     (record.go).
//   - What the kernel says: inspect*.go reads each socket's state, queues
//     and addresses (TCP_INFO, SIOCINQ, /proc/net); timeline.go keeps the
//     two-party timeline of calls, packets and state changes; errno.go
//     names errnos.
//   - Experiments (experiment.go, exp_*.go): steps too long to show one
//     call at a time, listed in experimentSpecs, each ending in a
//     Measurement. They run on a lab (lab.go), loopback sockets of their
//     own that stay out of the timeline and are closed together on every
//     path. The lossy link runs in a private network namespace made for
//     it, whose loopback drops packets with an nftables rule
//     (netns_linux.go), or else through a seeded relay (exp_lossy_link.go).
//   - The other party: a peer socket may be played by the learner from a
//     second terminal, with commands to paste (external.go), or by a pair
//     lesson running --role in that terminal (role.go).
//   - Addresses: hosts and ports a learner types (addr.go) and the
//     machine's own interfaces (machine.go); only loopback unless the
//     classroom opt-in allows more.
package lessons
