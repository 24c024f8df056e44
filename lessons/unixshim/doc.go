// Package unixshim is the part of golang.org/x/sys/unix that sockstep's
// portable files use, under the same names, so that they build on every
// system. On Unix (Linux, macOS) every name is x/sys/unix's own, as if
// that package were imported. On Windows, where lessons and verify do not
// run (the command line says so and points to WSL 2), the names exist and
// every call fails with syscall.EWINDOWS: that is what lets show, list,
// exercises, steps, lint and progress build and work there.
//
// Import it under the name unix:
//
//	import unix "github.com/sockstep/sockstep/lessons/unixshim"
//
// Files that only build on Linux (name_linux.go) import x/sys/unix itself.
// A name missing here is one line in each of shim_unix.go and
// shim_windows.go.
package unixshim
