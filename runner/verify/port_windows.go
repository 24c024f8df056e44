package verify

// verify does not run on Windows (the command line says it needs a Linux
// or macOS kernel); these let the package build there, so that the
// exercise list and texts work.

func candidatePorts() (lo, hi int) { return 49152, 65535 }

func portFree(port int) bool { return false }
