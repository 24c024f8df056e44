package verify

import (
	"errors"
	"io/fs"
	"os/exec"
	"strings"
	"syscall"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner/escape"
)

// causeKeys name, in the learner's language, the reasons a file cannot be
// written or a program cannot be started (errno(3)), so that a Chinese
// sentence does not end in English.
var causeKeys = []struct {
	errno syscall.Errno
	key   string
}{
	{syscall.EACCES, "verify.cause.denied"},
	{syscall.EPERM, "verify.cause.denied"},
	{syscall.ENOENT, "verify.cause.missing"},
	{syscall.ENOTDIR, "verify.cause.missing"},
	{syscall.EROFS, "verify.cause.read_only"},
	{syscall.ENOSPC, "verify.cause.no_space"},
	{syscall.EDQUOT, "verify.cause.no_space"},
	{syscall.EISDIR, "verify.cause.is_dir"},
	{syscall.ENOEXEC, "verify.cause.exec_format"},
}

// causeText says why err happened in cat's language, or err's own text
// (escaped) when the reason is not one of causeKeys.
func causeText(cat *content.Catalog, err error) string {
	for _, c := range causeKeys {
		if errors.Is(err, c.errno) {
			return cat.T(c.key)
		}
	}
	return escape.String(err.Error())
}

// errExport is a result file that could not be written.
type errExport struct {
	path string
	err  error
}

func (e *errExport) Error() string { return "cannot write " + e.path + ": " + e.err.Error() }
func (e *errExport) Unwrap() error { return e.err }

// exportText says which result file could not be written and why, in
// cat's language.
func exportText(cat *content.Catalog, err error) string {
	var ee *errExport
	if errors.As(err, &ee) {
		return cat.T("verify.error.export_file", escape.String(ee.path), causeText(cat, ee.err))
	}
	return cat.T("verify.error.export", causeText(cat, err))
}

// What a start failure's text says when only the text crossed from the
// process that tried (verify's namespace shim reports it as a message).
var (
	reStartMissing = lazy(`(?i)no such file or directory|executable file not found|was not found`)
	reStartDenied  = lazy(`(?i)permission denied`)
	reStartFormat  = lazy(`(?i)exec format error`)
)

// startHint is the hint for the program prog that could not be started:
// the cause in the learner's words, and what to do about it.
func startHint(err error, prog string) Hint {
	msg := err.Error()
	var be *buildError
	switch {
	case errors.As(err, &be):
		return hint("go_build", strings.Join(be.lines, "\n"))
	case prog == "":
	case errors.Is(err, exec.ErrNotFound), errors.Is(err, fs.ErrNotExist), reStartMissing.MatchString(msg):
		return hint("cannot_start_missing", prog)
	case errors.Is(err, fs.ErrPermission), reStartDenied.MatchString(msg):
		return hint("cannot_start_denied", prog)
	case errors.Is(err, syscall.ENOEXEC), reStartFormat.MatchString(msg):
		return hint("cannot_start_format", prog)
	}
	return hint("cannot_start", msg)
}
