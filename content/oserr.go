package content

import (
	"errors"
	"io/fs"
	"syscall"
)

// OSText says in cat's language why a file could not be opened or
// written: no such file or folder, not allowed, a folder, a read-only
// file system, a full disk, a file too large, a symbolic link in the way.
// Other errors keep the system's own words, without the operation and
// path the sentence around them already gives.
func OSText(cat *Catalog, err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return cat.T("os.not-exist")
	case errors.Is(err, fs.ErrPermission):
		return cat.T("os.permission")
	case errors.Is(err, syscall.EISDIR):
		return cat.T("os.is-dir")
	case errors.Is(err, syscall.EROFS):
		return cat.T("os.read-only")
	case errors.Is(err, syscall.ENOSPC):
		return cat.T("os.no-space")
	case errors.Is(err, syscall.EFBIG):
		return cat.T("os.too-large")
	case errors.Is(err, syscall.ELOOP):
		return cat.T("os.link-loop")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
