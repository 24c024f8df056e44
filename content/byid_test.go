package content_test

import (
	"testing"

	"github.com/sockstep/sockstep/content"
)

// BuiltinByID and ExerciseByID find what Builtin and Exercises hold,
// reading one file.
func TestByID(t *testing.T) {
	for _, lang := range content.Langs {
		all, err := content.Builtin(lang, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range all {
			got, err := content.BuiltinByID(lang, want.ID)
			if err != nil || got == nil || got.Source != want.Source || got.Lang != lang || len(got.Steps) != len(want.Steps) {
				t.Errorf("BuiltinByID(%s, %s) = %v, %v; want %s", lang, want.ID, got, err, want.Source)
			}
		}
		exs, err := content.Exercises(lang)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range exs {
			if got, err := content.ExerciseByID(lang, want.ID); err != nil || got == nil || got.Source != want.Source {
				t.Errorf("ExerciseByID(%s, %s) = %v, %v", lang, want.ID, got, err)
			}
		}
		for _, id := range []string{"nope", "../en/intro", ""} {
			if got, _ := content.BuiltinByID(lang, id); got != nil {
				t.Errorf("BuiltinByID(%s, %q) = %s, want nil", lang, id, got.Source)
			}
		}
	}
}
