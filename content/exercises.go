package content

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
)

// Exercise task texts (one Markdown file per exercise per language, front
// matter kind: exercise) and their reference solutions in Go. The
// solutions are embedded so that `sockstep verify` can show one and the
// tests can check that each one passes.
//
//go:embed exercises solutions
var exerciseFiles embed.FS

// Exercises returns the exercise texts of one language, in menu order.
func Exercises(lang Lang) ([]*Lesson, error) {
	all, err := loadDir(exerciseFiles, path.Join("exercises", string(lang)))
	if err != nil {
		return nil, fmt.Errorf("the exercise texts in %s cannot be read: %w", lang, err)
	}
	for _, l := range all {
		if l.Kind != KindExercise {
			return nil, fmt.Errorf("%s is not marked kind: exercise", l.Source)
		}
	}
	return all, nil
}

// FindExercise returns the text of exercise id in lang, or nil when there
// is none.
func FindExercise(lang Lang, id string) (*Lesson, error) {
	all, err := Exercises(lang)
	return byID(all, id), err
}

// Solution returns the Go source of the reference solution of exercise id.
func Solution(id string) (string, error) {
	if !fs.ValidPath(id) || path.Base(id) != id {
		return "", fmt.Errorf("%q is not an exercise name", id)
	}
	data, err := fs.ReadFile(exerciseFiles, path.Join("solutions", id, "main.go"))
	if err != nil {
		return "", fmt.Errorf("there is no reference solution for %q: %w", id, err)
	}
	return string(data), nil
}
