//go:build !windows

package lessons_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/sockstep/sockstep/lessons"
	"golang.org/x/sys/unix"
)

func TestErrnoName(t *testing.T) {
	t.Parallel()
	tests := map[unix.Errno]string{
		unix.EADDRINUSE:    "EADDRINUSE",
		unix.EADDRNOTAVAIL: "EADDRNOTAVAIL",
		unix.ECONNREFUSED:  "ECONNREFUSED",
		unix.EACCES:        "EACCES",
		unix.Errno(4000):   unix.Errno(4000).Error(),
	}
	for e, want := range tests {
		if got := lessons.ErrnoName(e); got != want {
			t.Errorf("ErrnoName(%d) = %q, want %q", e, got, want)
		}
	}
}

func TestErrnoOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want unix.Errno
	}{
		{nil, 0},
		{errors.New("plain"), 0},
		{unix.EPIPE, unix.EPIPE},
		{fmt.Errorf("connect failed: %w", unix.ECONNREFUSED), unix.ECONNREFUSED},
		{fmt.Errorf("outer: %w", fmt.Errorf("bind failed: %w", unix.EADDRINUSE)), unix.EADDRINUSE},
		{errors.Join(errors.New("a"), unix.EACCES), unix.EACCES},
		{fmt.Errorf("port: %w", lessons.ErrBadPort), 0},
	}
	for _, tt := range tests {
		if got := lessons.ErrnoOf(tt.err); got != tt.want {
			t.Errorf("ErrnoOf(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
