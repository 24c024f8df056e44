package proc

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// Bounds on what CopyTree copies: a learner's submission is a few files of
// source; a folder past these is not one (or is hostile).
const (
	maxCopyFiles = 2000
	maxCopyBytes = 64 << 20
)

// ErrTooLarge is a tree past CopyTree's bounds.
var ErrTooLarge = errors.New("too many files or bytes to copy")

// CopyTree copies src (a regular file, or a directory and what it holds)
// to dst, owned by uid and gid (-1 to keep verify's), so that a program
// running as that uid can read what the learner's own folder would not let
// it (a folder under /root, or closed to others). Only regular files and
// directories are copied: symbolic links inside src, FIFOs, devices and
// sockets are left out, so the copy can neither lead out of src nor block
// on an open. src itself is followed if it is a link (the learner named
// it). The copy is bounded (maxCopyFiles, maxCopyBytes).
func CopyTree(src, dst string, uid, gid int) error {
	info, err := os.Stat(src)
	if err != nil {
		return err
	}
	c := copier{uid: uid, gid: gid}
	return c.copy(src, dst, info)
}

type copier struct {
	uid, gid     int
	files, bytes int64
}

func (c *copier) copy(src, dst string, info os.FileInfo) error {
	switch {
	case info.IsDir():
		if err := os.Mkdir(dst, 0o755); err != nil && !os.IsExist(err) {
			return err
		}
		if err := c.own(dst); err != nil {
			return err
		}
		ents, err := os.ReadDir(src)
		if err != nil {
			return err
		}
		for _, e := range ents {
			if !e.Type().IsDir() && !e.Type().IsRegular() {
				continue // a link, FIFO, socket or device: not copied
			}
			ei, err := e.Info()
			if err != nil {
				continue
			}
			if err := c.copy(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name()), ei); err != nil {
				return err
			}
		}
		return nil
	case info.Mode().IsRegular():
		return c.file(src, dst, info)
	}
	return fmt.Errorf("%s is not a regular file or a folder", src)
}

func (c *copier) file(src, dst string, info os.FileInfo) error {
	c.files++
	c.bytes += info.Size()
	if c.files > maxCopyFiles || c.bytes > maxCopyBytes {
		return fmt.Errorf("copying %s: %w (at most %d files, %d MiB)", src, ErrTooLarge, maxCopyFiles, maxCopyBytes>>20)
	}
	// O_NONBLOCK: a FIFO put in place of the file since the check above
	// must not block the open; it is refused by the check after it.
	in, err := os.OpenFile(src, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return err
	}
	defer in.Close()
	if st, err := in.Stat(); err != nil || !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", src)
	}
	mode := os.FileMode(0o644)
	if info.Mode().Perm()&0o111 != 0 {
		mode = 0o755
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, io.LimitReader(in, maxCopyBytes)); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	if err := os.Chmod(dst, mode); err != nil { // whatever the umask
		return err
	}
	return c.own(dst)
}

func (c *copier) own(p string) error {
	if c.uid < 0 {
		return nil
	}
	return os.Lchown(p, c.uid, c.gid)
}
