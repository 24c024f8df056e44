package lessons

import (
	"errors"
	"fmt"

	"github.com/sockstep/sockstep/content"
)

// The words a session writes itself, into the calls it shows and the
// previews of its steps, come from the message catalog in the session's
// language (Config.Lang): the call stays code, and its comment (what
// follows "#"), a placeholder for data (<1000 bytes>) or a line saying
// what happens between two calls is said in the learner's language.

// text is the message key in the session's language.
func (s *Session) text(key string, args ...any) string {
	return content.Text(s.cfg.Lang).T(key, args...)
}

// comment is a comment after a call: "   # " and the message key.
func (s *Session) comment(key string, args ...any) string {
	return "   # " + s.text(key, args...)
}

// data is the placeholder for n bytes of data in a call: "<1000 bytes>".
// n is a number, or a lesson's argument as written.
func (s *Session) data(n any) string { return s.text("exp.call.bytes", n) }

// msComment is a comment giving how long a call took: "   # 3000.0 ms".
func (s *Session) msComment(d string) string { return s.comment("exp.call.ms", d) }

// A LabError is an experiment that could not measure what it set out to
// (a wait that ran out, an answer the kernel should not have given),
// with a catalog key and its arguments, so that the runner says it in the
// learner's language; Error gives the English sentence. Its arguments are
// numbers, errno names and other words that read the same in every
// language.
type LabError struct {
	Key  string
	Args []any
	Msg  string
	// Err is what it wraps: errLabTimeout for a wait that ran out, or
	// nil.
	Err error
}

func (e *LabError) Error() string {
	if e.Err == nil {
		return e.Msg
	}
	return e.Msg + ": " + e.Err.Error()
}

func (e *LabError) Unwrap() error { return e.Err }

// labFailed is a LabError wrapping err (errLabTimeout, or nil): key in
// the catalog, format its English sentence.
func labFailed(err error, key, format string, args ...any) error {
	return &LabError{Key: key, Args: args, Msg: fmt.Sprintf(format, args...), Err: err}
}

// errName names an error in words that read the same in every language,
// for a LabError or a measurement: its errno's name, "0" for no error;
// an operation this system does not have is said in the session's
// language, and anything else as its text.
func (s *Session) errName(err error) string {
	switch n := ErrnoOf(err); {
	case err == nil:
		return "0"
	case n != 0:
		return ErrnoName(n)
	case errors.Is(err, errors.ErrUnsupported):
		return s.text("exp.err.unsupported")
	}
	return err.Error()
}
