package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/sockstep/sockstep/content"
)

// allLessons returns the built-in lessons of lang plus those of the
// instructor's folder (--lessons DIR). The folder holds zh/ and en/
// subfolders like the built-in ones, or Markdown files directly for a
// course in one language. A lesson there with the id of a built-in one
// replaces it, so a course can adapt a lesson without forking sockstep.
func allLessons(lang content.Lang, dir string) ([]*content.Lesson, error) {
	builtin, err := content.Builtin(lang, "")
	if err != nil || dir == "" {
		return builtin, err
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("--lessons %s: %w", dir, errNotDir)
	}
	fsys := os.DirFS(dir)
	own, err := content.LoadDir(fsys, string(lang))
	if err == nil && len(own) == 0 {
		own, err = content.LoadDir(fsys, ".")
	}
	if err != nil {
		return nil, err
	}
	byID := map[string]bool{}
	for _, l := range own {
		l.Lang = lang
		l.Source = filepath.Join(dir, l.Source)
		byID[l.ID] = true
	}
	out := own
	for _, l := range builtin {
		if !byID[l.ID] {
			out = append(out, l)
		}
	}
	content.Sort(out) // order: is honoured for the folder's lessons too
	return out, nil
}

var errNotDir = fmt.Errorf("not a folder")

// lessonByID finds a lesson among allLessons, or nil.
func lessonByID(lang content.Lang, dir, id string) (*content.Lesson, error) {
	if dir == "" {
		return content.BuiltinByID(lang, id) // one file, not every lesson
	}
	ls, err := allLessons(lang, dir)
	for _, l := range ls {
		if l.ID == id {
			return l, err
		}
	}
	return nil, err
}
