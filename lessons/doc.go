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
package lessons
