package verify

import (
	"fmt"
	"io"

	"github.com/sockstep/sockstep/content"
)

// List writes the exercises verify can check, one per line: id and title
// in lang, for `sockstep exercises`.
func List(w io.Writer, lang content.Lang) error {
	cat := content.Text(lang)
	texts, err := content.Exercises(lang)
	if err != nil {
		return err
	}
	// The texts' order (easiest first), then any exercise without a text.
	titles := map[string]string{}
	var ids []string
	for _, l := range texts {
		if Known(l.ID) {
			titles[l.ID] = l.Title
			ids = append(ids, l.ID)
		}
	}
	for _, id := range IDs() {
		if _, ok := titles[id]; !ok {
			ids = append(ids, id)
		}
	}
	width := 0
	for _, id := range ids {
		width = max(width, len(id))
	}
	if _, err := fmt.Fprintln(w, cat.T("verify.list.title")); err != nil {
		return err
	}
	for _, id := range ids {
		title := titles[id]
		if title == "" {
			title = id
		}
		if _, err := fmt.Fprintf(w, "  %-*s  %s\n", width, id, title); err != nil {
			return err
		}
	}
	_, err = fmt.Fprintln(w, cat.T("verify.list.how"))
	return err
}
