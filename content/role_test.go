package content

import (
	"strings"
	"testing"
)

func TestChooseRoleText(t *testing.T) {
	text := "both\n\n<!-- alone -->\nalone only\n<!-- paired -->\npaired only\n<!-- end -->\n\nboth again\n```\n<!-- alone -->\n```"
	alone := ChooseRoleText(text, false)
	paired := ChooseRoleText(text, true)
	for _, c := range []struct {
		got, want, not string
	}{
		{alone, "alone only", "paired only"},
		{paired, "paired only", "alone only"},
	} {
		if !strings.Contains(c.got, c.want) || strings.Contains(c.got, c.not) {
			t.Errorf("got %q, want %q without %q", c.got, c.want, c.not)
		}
		if !strings.Contains(c.got, "both\n\n") || !strings.Contains(c.got, "both again") {
			t.Errorf("shared lines lost: %q", c.got)
		}
		if !strings.Contains(c.got, "```\n<!-- alone -->\n```") {
			t.Errorf("a marker inside a code block is text: %q", c.got)
		}
		if strings.Contains(c.got, "\n\n\n") {
			t.Errorf("blank lines pile up: %q", c.got)
		}
	}
	if p := RoleMarkProblems("<!-- paired -->\nx"); len(p) != 1 {
		t.Errorf("an open block: %v", p)
	}
	if p := RoleMarkProblems("x\n<!-- end -->"); len(p) != 1 {
		t.Errorf("a stray end: %v", p)
	}
}

// Every built-in lesson's role markers are balanced, and neither mode
// leaves a marker in the text.
func TestBuiltinRoleMarks(t *testing.T) {
	for _, lang := range []Lang{Chinese, English} {
		ls, err := Builtin(lang, KindLesson)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			texts := []string{l.Intro}
			for _, st := range l.Steps {
				texts = append(texts, st.Body, st.After)
			}
			for _, x := range texts {
				for _, p := range RoleMarkProblems(x) {
					t.Errorf("%s (%s): %s", l.ID, lang, p)
				}
			}
			for _, paired := range []bool{false, true} {
				r := l.ForRole(paired)
				for _, st := range append([]Step{{Body: r.Intro}}, r.Steps...) {
					if roleMarkRE.MatchString(st.Body) || strings.Contains(st.Body, "<!-- alone") || strings.Contains(st.Body, "<!-- paired") {
						t.Errorf("%s (%s, paired %v): a marker is left: %q", l.ID, lang, paired, st.Body)
					}
				}
			}
		}
	}
}
