package proc

import "sync/atomic"

// Isolation says how a program was kept apart from verify.
type Isolation string

const (
	// IsolationGroup: a process group of its own, nothing more (not Linux,
	// or the kernel refused namespaces, or SOCKSTEP_ISOLATION=off).
	IsolationGroup Isolation = "process-group"
	// IsolationNobody: as root, a PID namespace and the uid nobody.
	IsolationNobody Isolation = "pid-namespace+uid-nobody"
	// IsolationNoCaps: as root, a PID namespace, uid 0 without any
	// capability: nobody could not read the program's files, or it is
	// `go run` (which needs root's build cache).
	IsolationNoCaps Isolation = "pid-namespace+no-capabilities"
	// IsolationRoot: as root, a PID namespace, still root with its
	// capabilities: not even uid 0 without capabilities could read the
	// program's files (another user's, closed to others).
	IsolationRoot Isolation = "pid-namespace"
	// IsolationUserNS: as an ordinary user, a user and a PID namespace.
	IsolationUserNS Isolation = "user+pid-namespace"
)

// nsRefused is set once the kernel has refused the namespaces: later
// programs are not tried in them again.
var nsRefused atomic.Bool
