//go:build !windows

package runner

import (
	"testing"

	"github.com/creack/pty"
)

// TestPageSize: a Select shows as many options as the terminal has rows
// for (the menu's thirty lessons were seven at a time on 24 rows).
func TestPageSize(t *testing.T) {
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	defer ptm.Close()
	defer tty.Close()
	for _, tc := range []struct{ rows, options, want int }{
		{24, 30, 18},
		{24, 4, 4},
		{50, 30, 30},
		{10, 30, 7},
	} {
		pty.Setsize(ptm, &pty.Winsize{Rows: uint16(tc.rows), Cols: 80})
		if got := pageSize(tty, tc.options); got != tc.want {
			t.Errorf("%d rows, %d options: page of %d, want %d", tc.rows, tc.options, got, tc.want)
		}
	}
	if got := pageSize(nil, 30); got != 7 {
		t.Errorf("no terminal: page of %d, want survey's 7", got)
	}
}
