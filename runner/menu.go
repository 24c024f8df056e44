package runner

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner/escape"
)

// MenuItem is one entry of the lesson menu.
type MenuItem struct {
	ID    string
	Title string
	Kind  string
	Done  bool
}

// Items makes menu items from lessons, marking the finished ones.
func Items(ls []*content.Lesson, done map[string]bool) []MenuItem {
	out := make([]MenuItem, 0, len(ls))
	for _, l := range ls {
		out = append(out, MenuItem{ID: l.ID, Title: l.Title, Kind: l.Kind, Done: done[l.ID]})
	}
	return out
}

// Menu lets the learner pick a lesson or an exercise; ok is false when
// they choose to leave.
func (r *Runner) Menu(ctx context.Context, items []MenuItem) (it MenuItem, ok bool, err error) {
	keys := make([]string, 0, len(items)+1)
	labels := map[string]string{}
	byKey := map[string]MenuItem{}
	for i, it := range items {
		key := fmt.Sprintf("menu.item:%d", i)
		keys = append(keys, key)
		labels[key] = r.menuLabel(it)
		byKey[key] = it
	}
	keys = append(keys, "menu.quit")
	p := r.prompt
	if sp, ok := p.(surveyPrompter); ok {
		sp.labels = labels
		p = sp
	}
	ans, err := p.choose(ctx, "menu.title", nil, keys, keys[0])
	if err != nil {
		return MenuItem{}, false, err
	}
	it, ok = byKey[ans]
	return it, ok, nil
}

func (r *Runner) menuLabel(it MenuItem) string {
	mark := "  "
	if it.Done {
		mark = "✓ "
	}
	kind := r.cat.T("menu.kind." + it.Kind)
	// Items come from lessons anyone may write: escaped, even though the
	// loader cleaned them, since a caller may build items of its own.
	title := strings.Join(strings.Fields(escape.Text(it.Title)), " ")
	return fmt.Sprintf("%s%s %s  %s", mark, pad(kind, 6), pad(escape.String(it.ID), 22), ansi.Truncate(title, 46, "…"))
}

// List prints the menu items as plain lines: the menu for a run without a
// terminal, and `sockstep list`.
func (r *Runner) List(items []MenuItem) {
	for _, it := range items {
		r.printf("%s\n", r.menuLabel(it))
	}
}
