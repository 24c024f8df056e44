package content

import (
	"regexp"
	"strings"
)

// A two-terminal lesson (front matter role: and pair:) runs either on its
// own, sockstep playing the other party, or with --role, the pair lesson
// playing it in another terminal. Some sentences are true of only one of
// the two ("sockstep starts a server"), so the prose may say both:
//
//	<!-- alone -->
//	sockstep starts a server: socket, bind, listen.
//	<!-- paired -->
//	The server in the other terminal does that: socket, bind, listen.
//	<!-- end -->
//
// Lines after <!-- alone --> are shown only on its own, lines after
// <!-- paired --> only with --role, and <!-- end --> returns to lines
// shown in both. Markers inside code blocks are text.
var roleMarkRE = regexp.MustCompile(`^\s*<!--\s*(alone|paired|end)\s*-->\s*$`)

// ForRole returns the lesson with its prose chosen for a run on its own
// (paired false) or in two terminals (paired true). Lessons without
// markers come back unchanged.
func (l *Lesson) ForRole(paired bool) *Lesson {
	c := *l
	c.Intro = ChooseRoleText(l.Intro, paired)
	c.Steps = make([]Step, len(l.Steps))
	for i, st := range l.Steps {
		st.Body = ChooseRoleText(st.Body, paired)
		st.After = ChooseRoleText(st.After, paired)
		c.Steps[i] = st
	}
	return &c
}

// ChooseRoleText keeps the lines of text meant for the mode (see
// ForRole) and drops the markers.
func ChooseRoleText(text string, paired bool) string {
	if !strings.Contains(text, "<!--") {
		return text
	}
	var out []string
	keep, fence := true, ""
	for _, line := range strings.Split(text, "\n") {
		inFence := fence != ""
		fence = NextFence(fence, line)
		if !inFence && fence == "" {
			if m := roleMarkRE.FindStringSubmatch(line); m != nil {
				keep = m[1] == "end" || (m[1] == "paired") == paired
				continue
			}
		}
		if keep {
			out = append(out, line)
		}
	}
	return strings.Trim(collapseBlank(strings.Join(out, "\n")), "\n")
}

// collapseBlank leaves at most one empty line in a row, where a dropped
// block had blank lines on both sides.
func collapseBlank(s string) string {
	for strings.Contains(s, "\n\n\n") {
		s = strings.ReplaceAll(s, "\n\n\n", "\n\n")
	}
	return s
}

// RoleMarkProblems lists what is wrong with the role markers of a
// lesson's text: a block left open, an end with nothing to end. Each is
// a ParseError with its catalog key, at the marker's line counted from 1
// at the start of text; the caller gives it a file and its line there.
func RoleMarkProblems(text string) []*ParseError {
	var out []*ParseError
	open, openLine, fence := "", 0, ""
	for i, line := range strings.Split(text, "\n") {
		inFence := fence != ""
		fence = NextFence(fence, line)
		if inFence || fence != "" {
			continue
		}
		m := roleMarkRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		switch {
		case m[1] == "end" && open == "":
			out = append(out, &ParseError{Line: i + 1, Msg: "<!-- end --> with no <!-- alone --> or <!-- paired --> before it", Key: "lesson.role-end"})
		case m[1] == "end":
			open = ""
		default:
			open, openLine = m[1], i+1
		}
	}
	if open != "" {
		out = append(out, &ParseError{Line: openLine, Msg: "<!-- " + open + " --> is not closed with <!-- end -->", Key: "lesson.role-open", Args: []any{open}})
	}
	return out
}

// FirstRoleMark is the line of text's first <!-- alone --> or
// <!-- paired --> outside code, counted from 1, or 0 when it has none.
func FirstRoleMark(text string) int {
	fence := ""
	for i, line := range strings.Split(text, "\n") {
		inFence := fence != ""
		fence = NextFence(fence, line)
		if inFence || fence != "" {
			continue
		}
		if m := roleMarkRE.FindStringSubmatch(line); m != nil && m[1] != "end" {
			return i + 1
		}
	}
	return 0
}

// RoleMarksAlone is the problem of a lesson without a two-terminal mode
// (no role:) whose text has <!-- alone --> or <!-- paired --> blocks:
// only the alone text would ever be shown.
func RoleMarksAlone() *ParseError {
	return &ParseError{Msg: "<!-- alone --> and <!-- paired --> need a lesson with a two-terminal mode (role: and pair: in its front matter); this one is only ever run alone",
		Key: "lesson.role-alone"}
}
