//go:build !linux

package lessons_test

import (
	"testing"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
)

// cancelWhenBlocked needs /proc to see that the call really blocks.
func cancelWhenBlocked(t *testing.T, s *lessons.Session, ds []content.Directive) error {
	t.Skip("seeing a call block needs Linux's /proc")
	return nil
}
