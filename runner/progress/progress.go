// Package progress remembers which lessons a learner finished and which
// exercises they passed, in one small JSON file in the user's config
// directory.
//
// Two sockstep processes may finish at the same moment (a lesson in one
// terminal, a verify in another), and a process may be killed while it
// writes; so every change is a read-modify-write under an exclusive lock,
// and the file is replaced atomically (write a temporary file, sync,
// rename) so a reader only ever sees the old or the new content.
package progress

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"golang.org/x/sys/unix"
)

// State is what the file holds.
type State struct {
	Lessons   map[string]time.Time `json:"lessons,omitempty"`   // id → when finished
	Exercises map[string]time.Time `json:"exercises,omitempty"` // id → when passed
}

// DefaultPath is where progress is kept: $SOCKSTEP_PROGRESS if set, else
// sockstep/progress.json in the user's config directory.
func DefaultPath() (string, error) {
	if p := os.Getenv("SOCKSTEP_PROGRESS"); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find a config directory to keep progress in: %w", err)
	}
	return filepath.Join(dir, "sockstep", "progress.json"), nil
}

// Load reads the state; a missing file is an empty state.
func Load(path string) (State, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return State{}, nil
	}
	if err != nil {
		return State{}, fmt.Errorf("cannot read progress file %s: %w", path, err)
	}
	var s State
	if err := json.Unmarshal(data, &s); err != nil {
		return State{}, fmt.Errorf("progress file %s is damaged (%w); `sockstep progress --reset` starts afresh", path, err)
	}
	return s, nil
}

// Update applies change to the state under an exclusive lock and saves it
// atomically.
func Update(path string, change func(*State)) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("cannot create the directory for progress: %w", err)
	}
	lock, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return fmt.Errorf("cannot lock progress file: %w", err)
	}
	defer lock.Close()
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX); err != nil {
		return fmt.Errorf("cannot lock progress file: %w", err)
	}
	defer unix.Flock(int(lock.Fd()), unix.LOCK_UN)
	// Temporary files are only made under the lock, so any found now were
	// left by a writer that was killed: clear them away.
	if stale, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")); len(stale) > 0 {
		for _, f := range stale {
			os.Remove(f)
		}
	}

	s, err := Load(path)
	if err != nil {
		s = State{} // a damaged file is replaced rather than blocking progress forever
	}
	change(&s)
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, append(data, '\n'))
}

// WriteFileAtomic replaces path with data so that readers see either the
// old file or the new one, never a part.
func WriteFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// MarkLesson records a finished lesson.
func MarkLesson(path, id string) error {
	return Update(path, func(s *State) {
		if s.Lessons == nil {
			s.Lessons = map[string]time.Time{}
		}
		s.Lessons[id] = time.Now().UTC()
	})
}

// MarkExercise records a passed exercise.
func MarkExercise(path, id string) error {
	return Update(path, func(s *State) {
		if s.Exercises == nil {
			s.Exercises = map[string]time.Time{}
		}
		s.Exercises[id] = time.Now().UTC()
	})
}

// Reset forgets everything.
func Reset(path string) error {
	return Update(path, func(s *State) { *s = State{} })
}

// Sorted returns the keys of m in order.
func Sorted(m map[string]time.Time) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
