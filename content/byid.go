package content

import (
	"io/fs"
	"path"
)

// BuiltinByID returns the built-in lesson id of lang, or nil. It reads
// only the file named after the id (as every built-in one is), so that
// `sockstep show LESSON` does not parse every lesson to print one; a file
// named otherwise is still found, through Builtin.
func BuiltinByID(lang Lang, id string) (*Lesson, error) {
	if l := parseNamed(files, path.Join("lessons", string(lang)), lang, id); l != nil {
		return l, nil
	}
	all, err := Builtin(lang, "")
	return byID(all, id), err
}

// ExerciseByID is BuiltinByID for the exercise texts.
func ExerciseByID(lang Lang, id string) (*Lesson, error) {
	if l := parseNamed(exerciseFiles, path.Join("exercises", string(lang)), lang, id); l != nil && l.Kind == KindExercise {
		return l, nil
	}
	return FindExercise(lang, id)
}

// parseNamed parses dir/id.md when it exists and holds document id.
func parseNamed(fsys fs.FS, dir string, lang Lang, id string) *Lesson {
	if !fs.ValidPath(id) || path.Base(id) != id {
		return nil
	}
	name := path.Join(dir, id+".md")
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil
	}
	l, err := Parse(name, data)
	if err != nil || l.ID != id {
		return nil
	}
	l.Lang = lang
	return l
}
