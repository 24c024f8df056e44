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
		// survey redraws the menu at every key by moving up as many rows
		// as it has options: an entry that wraps breaks the redraw (a copy
		// of the menu is left behind at each ↓), so each fits its row, after
		// survey's two-column cursor and a spare column.
		labels[key] = r.menuLabel(it, r.screenWidth()-3)
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

// Back waits, in the menu, until the learner has read what a lesson or a
// task left on the screen: the menu, drawn at once, would push it out of
// sight on a terminal of 24 rows. Without a terminal it returns at once.
func (r *Runner) Back(ctx context.Context) error {
	_, err := r.prompt.input(ctx, "menu.back", nil, "")
	return err
}

// menuLabel is one entry: a mark, the kind, the id and the title. The title
// is cut (with "…", by display width, so Chinese titles are cut right) to
// fit width columns; with width 0 or less (unknown) it is cut at 46.
func (r *Runner) menuLabel(it MenuItem, width int) string {
	mark := "  "
	if it.Done {
		mark = "✓ "
	}
	kind := r.cat.T("menu.kind." + it.Kind)
	// Items come from lessons anyone may write: escaped, even though the
	// loader cleaned them, since a caller may build items of its own.
	title := strings.Join(strings.Fields(escape.Text(it.Title)), " ")
	head := fmt.Sprintf("%s%s %s  ", mark, pad(kind, 6), pad(escape.String(it.ID), 22))
	room := 46
	if width > 0 {
		room = min(room, width-ansi.StringWidth(head))
	}
	if room < 8 {
		// Too narrow for the columns (a 40-column pane): the id alone
		// after the kind, then as much of the title as fits.
		head = fmt.Sprintf("%s%s %s  ", mark, pad(kind, 6), escape.String(it.ID))
		room = width - ansi.StringWidth(head)
	}
	if room < 1 {
		return ansi.Truncate(head, max(width, 1), "…")
	}
	return head + ansi.Truncate(title, room, "…")
}

// List prints the menu items as plain lines: the menu for a run without a
// terminal, and `sockstep list`.
func (r *Runner) List(items []MenuItem) {
	for _, it := range items {
		r.printf("%s\n", r.menuLabel(it, r.opts.Width))
	}
}
