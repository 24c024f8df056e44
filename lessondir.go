package main

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/sockstep/sockstep/content"
)

// allLessons returns the built-in lessons of lang plus those of the
// instructor's folder (--lessons DIR). A lesson there with the id of a
// built-in one replaces it, so a course can adapt a lesson without
// forking sockstep; order: places each among the built-in ones.
func allLessons(lang content.Lang, dir string) ([]*content.Lesson, error) {
	builtin, err := content.Builtin(lang, "")
	if err != nil || dir == "" {
		return builtin, err
	}
	own, err := folderLessons(lang, dir)
	if err != nil {
		return nil, err
	}
	byID := map[string]bool{}
	for _, l := range own {
		byID[l.ID] = true
	}
	out := own
	for _, l := range builtin {
		if !byID[l.ID] {
			out = append(out, l)
		}
	}
	content.Sort(out)
	return out, nil
}

// folderLessons reads an instructor's folder for lang. The folder holds
// zh/ and en/ subfolders like the built-in lessons; or, with neither,
// Markdown files directly: NAME.zh.md and NAME.en.md are the two
// languages of one lesson (as `sockstep lint` pairs them), and a NAME.md
// serves both. Two files of one language with the same id are an error
// naming both, rather than two menu entries of which one can never run.
func folderLessons(lang content.Lang, dir string) ([]*content.Lesson, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, &content.ParseError{File: dir, Msg: "--lessons needs a folder, and there is none here", Key: "cli.lessons-not-dir"}
	}
	fsys := os.DirFS(dir)
	names, _ := fs.Glob(fsys, path.Join(string(lang), "*.md"))
	if len(names) == 0 {
		all, _ := fs.Glob(fsys, "*.md")
		for _, n := range all {
			if l := fileLang(n); l == "" || l == lang {
				names = append(names, n)
			}
		}
	}
	var out []*content.Lesson
	seen := map[string]string{} // id → the file that has it
	for _, name := range names {
		data, err := content.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		l, err := content.Parse(filepath.Join(dir, name), data)
		if err != nil {
			return nil, err
		}
		if first, ok := seen[l.ID]; ok {
			return nil, &content.ParseError{File: l.Source, Msg: "this lesson has the id " + l.ID + ", as " + first + " already does",
				Key: "lesson.same-id", Args: []any{l.ID, first}}
		}
		seen[l.ID] = l.Source
		l.Lang = lang
		out = append(out, l)
	}
	return out, nil
}

// fileLang is the language a file name ends with, "x.zh.md" → zh, or ""
// for a name without one.
func fileLang(name string) content.Lang {
	base := strings.TrimSuffix(path.Base(name), ".md")
	for _, l := range content.Langs {
		if strings.HasSuffix(base, "."+string(l)) {
			return l
		}
	}
	return ""
}

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
