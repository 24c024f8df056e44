package lint

import (
	"path/filepath"

	"github.com/sockstep/sockstep/content"
)

// SameIDs reports the lessons among files that share an id with an
// earlier one of the same language: in one course (--lessons) the menu
// would show both and `run ID` could reach only one. A file's language is
// its folder's (zh/, en/) or its name's (NAME.zh.md); a file with neither
// serves both languages. Each problem is at the id: line of the later
// file and names the earlier.
func SameIDs(files []string) []Problem {
	type place struct{ dir, id string }
	first := map[content.Lang]map[place]string{}
	var probs []Problem
	for _, f := range files {
		data, err := readLesson(f)
		if err != nil {
			continue // reported when the file is checked itself
		}
		l, _ := content.ParseAll(f, data)
		if l == nil || l.ID == "" {
			continue
		}
		langs := content.Langs
		if l, ok := LangOf(f); ok {
			langs = []content.Lang{l}
		}
		// One course is one folder, zh/ and en/ counting as the same.
		dir := filepath.Dir(f)
		if _, ok := content.ParseLang(filepath.Base(dir)); ok && len(filepath.Base(dir)) == 2 {
			dir = filepath.Dir(dir)
		}
		k := place{dir, l.ID}
		reported := false
		for _, lang := range langs {
			if first[lang] == nil {
				first[lang] = map[place]string{}
			}
			if prev, ok := first[lang][k]; ok && !reported {
				probs = append(probs, Problem{File: f, Line: frontLine(data, "id"), Key: "lesson.same-id", Args: []any{l.ID, prev}})
				reported = true
				continue
			}
			if _, ok := first[lang][k]; !ok {
				first[lang][k] = f
			}
		}
	}
	return probs
}
