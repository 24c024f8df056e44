package main

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner/escape"
	"github.com/sockstep/sockstep/runner/lint"
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
// serves both. Every file of the folder, in either language, is checked
// first as lint checks it (but for a missing translation: a course may
// be taught in one language), two files of one language with one id and
// translations whose steps differ included; a folder with any problem is refused as a whole,
// with every problem of every file (a *lessonProblems), so that a class
// never meets half a course or a lesson that fails at its step 5.
func folderLessons(lang content.Lang, dir string) ([]*content.Lesson, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, &content.ParseError{File: dir, Msg: "--lessons needs a folder, and there is none here", Key: "cli.lessons-not-dir"}
	}
	fsys := os.DirFS(dir)
	var all, mine []string // every lesson file of the folder; those of lang
	for _, l := range content.Langs {
		names, _ := fs.Glob(fsys, path.Join(string(l), "*.md"))
		all = append(all, names...)
		if l == lang {
			mine = names
		}
	}
	if len(all) == 0 {
		all, _ = fs.Glob(fsys, "*.md")
		for _, n := range all {
			if l, ok := lint.LangOf(n); !ok || l == lang {
				mine = append(mine, n)
			}
		}
	}
	paths := make([]string, len(all))
	for i, n := range all {
		paths[i] = filepath.Join(dir, n)
	}
	lists := lint.Files(paths, true)
	for i, ps := range lists {
		// A course may be taught in one language: only a translation
		// that is there and differs is a problem.
		lists[i] = slices.DeleteFunc(ps, func(p lint.Problem) bool { return p.Key == "lint.missing-translation" })
	}
	if bad := (&lessonProblems{dir: dir, lists: lists}); bad.count() > 0 {
		return nil, bad
	}
	var out []*content.Lesson
	for _, name := range mine {
		data, err := content.ReadFile(fsys, name)
		if err != nil {
			return nil, err // changed since it was checked
		}
		l, err := content.Parse(filepath.Join(dir, name), data)
		if err != nil {
			return nil, err
		}
		l.Lang = lang
		out = append(out, l)
	}
	return out, nil
}

// lessonProblems is every problem of an instructor's lessons: of a
// folder (dir), or of one file (file). It is said as lint says it, one
// problem a line, and a last line saying what sockstep does about it.
type lessonProblems struct {
	dir, file string
	lists     [][]lint.Problem
}

func (e *lessonProblems) count() (problems int) {
	for _, ps := range e.lists {
		problems += len(ps)
	}
	return problems
}

func (e *lessonProblems) Error() string { return e.Text(content.Text(content.English)) }

// Text lists the problems in cat's language. A file that could not be
// read at all (no such file, not allowed) is said in that one line.
func (e *lessonProblems) Text(cat *content.Catalog) string {
	var lines []string
	files := 0
	for _, ps := range e.lists {
		for _, p := range ps {
			lines = append(lines, lint.Format(cat, p))
		}
		if len(ps) > 0 {
			files++
		}
	}
	switch {
	case e.dir != "":
		lines = append(lines, cat.T("cli.lessons-refused", escape.String(e.dir), e.count(), files))
	case len(lines) == 1 && e.lists[0][0].Line == 0:
		// Nothing was read: the one line says why.
	default:
		lines = append(lines, cat.T("cli.lesson-refused", escape.String(e.file), e.count()))
	}
	return strings.Join(lines, "\n")
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
