//go:build !windows

package verify

import (
	"io/fs"
	"syscall"
)

// nlink is how many names (hard links) the file of info has; 1 when
// unknown.
func nlink(info fs.FileInfo) uint64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}
