package proc

import (
	"errors"
	"sync/atomic"
)

// Isolation says how a program was kept apart from verify.
type Isolation string

const (
	// IsolationGroup: as an ordinary user, a process group of its own,
	// nothing more (not Linux, or the kernel refused namespaces).
	IsolationGroup Isolation = "process-group"
	// IsolationNobody: as root, a PID namespace and the uid nobody.
	IsolationNobody Isolation = "pid-namespace+uid-nobody"
	// IsolationGroupNobody: as root without namespaces (no CAP_SYS_ADMIN,
	// as in a container), a process group and the uid nobody.
	IsolationGroupNobody Isolation = "process-group+uid-nobody"
	// IsolationUserNS: as an ordinary user, a user and a PID namespace.
	IsolationUserNS Isolation = "user+pid-namespace"
)

// ErrNoSafeUser is a program that verify, as root, could not make
// runnable by the unprivileged user it runs programs as. verify refuses it
// rather than run it as root.
var ErrNoSafeUser = errors.New("the program cannot be run as the unprivileged user nobody")

// nsRefused is set once the kernel has refused the namespaces: later
// programs are not tried in them again.
var nsRefused atomic.Bool

// NoSafeUserError says what nobody could not use (ErrNoSafeUser).
type NoSafeUserError struct {
	What string // the interpreter or file, and why when known
	Err  error  // the cause, if any
}

func (e *NoSafeUserError) Error() string        { return ErrNoSafeUser.Error() + ": " + e.What }
func (e *NoSafeUserError) Is(target error) bool { return target == ErrNoSafeUser }
func (e *NoSafeUserError) Unwrap() error        { return e.Err }
