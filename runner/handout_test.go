//go:build !windows

package runner

import (
	"strconv"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
)

// TestPlainHandout: show --plain keeps what a handout needs: numbered
// steps, every call, a prediction's choices under its question and its
// answer only at the end, the port filled in, no directive or {{name}}.
func TestPlainHandout(t *testing.T) {
	for _, lang := range content.Langs {
		cat := content.Text(lang)
		ls, err := content.Builtin(lang, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			t.Run(string(lang)+"/"+l.ID, func(t *testing.T) {
				md := PlainHandout(lang, 7788, l)
				for _, bad := range []string{"<!-- step:", "<!-- after", "{{"} {
					if strings.Contains(md, bad) {
						t.Errorf("the handout holds %q", bad)
					}
				}
				last := 0
				for i, st := range l.Steps {
					h := "## " + cat.T("step.heading", i+1, len(l.Steps), st.Title)
					at := strings.Index(md, h)
					if at < 0 {
						t.Fatalf("no heading %q", h)
					}
					last = at
					for _, d := range st.Directives {
						if choices, answer, ok := lessons.Prediction(d); ok {
							q := strings.Index(md[at:], cat.T("predict.question"))
							if q < 0 {
								t.Errorf("step %d: no question", i+1)
							}
							for n, c := range choices {
								if !strings.Contains(md[at:], "\n"+strconv.Itoa(n+1)+". "+c) {
									t.Errorf("step %d: choice %q missing", i+1, c)
								}
							}
							if answer > 0 {
								want := cat.T("show.answer", strings.TrimPrefix(h, "## "), strconv.Itoa(answer)+". "+choices[answer-1])
								if a := strings.Index(md, want); a < 0 {
									t.Errorf("step %d: no answer %q", i+1, want)
								} else if a < strings.Index(md, "## "+cat.T("show.answers")) {
									t.Errorf("step %d: the answer comes before the answers section", i+1)
								}
							}
						}
					}
				}
				if a := strings.Index(md, "## "+cat.T("show.answers")); a >= 0 && a < last {
					t.Error("the answers come before the last step")
				}
				if strings.Contains(l.Markdown(nil), "{{port}}") && !strings.Contains(md, "7788") {
					t.Error("{{port}} was not filled")
				}
			})
		}
	}
}
