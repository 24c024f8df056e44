package lessons_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
)

// The lesson check (and so lint) reports role-conditional prose that is
// unbalanced, or that a lesson without a two-terminal mode never shows.
func TestCheckRoleMarks(t *testing.T) {
	for _, c := range []struct {
		name, front, body, want string
	}{
		{"balanced, paired lesson", "role: server\npair: x\n", "<!-- alone -->\na\n<!-- paired -->\nb\n<!-- end -->", ""},
		{"left open", "role: server\npair: x\n", "<!-- paired -->\nb", "not closed"},
		{"stray end", "role: server\npair: x\n", "b\n<!-- end -->", "no <!-- alone --> or <!-- paired -->"},
		{"no two-terminal mode", "", "<!-- paired -->\nb\n<!-- end -->", "two-terminal mode"},
	} {
		src := "---\nid: t\n" + c.front + "---\n\n## One\n<!-- step: socket s udp -->\n\n" + c.body + "\n"
		l, err := content.Parse("t.md", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		errs := lessons.Check(l)
		at := fmt.Sprintf("t.md:%d:", l.Steps[0].Line) // the step's heading
		switch {
		case c.want == "" && len(errs) > 0:
			t.Errorf("%s: %v", c.name, errs)
		case c.want != "" && (len(errs) != 1 || !strings.Contains(errs[0].Error(), c.want) || !strings.HasPrefix(errs[0].Error(), at)):
			t.Errorf("%s: %v, want one error at %s saying %q", c.name, errs, at, c.want)
		}
	}
}
