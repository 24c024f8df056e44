// Package sock opens sockets and accepts connections with close-on-exec
// set, so that a program sockstep starts later (a learner's, a checked
// exercise) never inherits a descriptor it did not ask for. It is the one
// place where that is done, as the standard library's net/sock_cloexec.go
// is: atomically with SOCK_CLOEXEC and accept4 on Linux, under
// syscall.ForkLock elsewhere.
//
// Errors are the raw errno: the caller names the call (os.NewSyscallError)
// in its own words.
package sock
