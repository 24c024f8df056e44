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
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"time"

	"github.com/sockstep/sockstep/content"
	unix "github.com/sockstep/sockstep/lessons/unixshim"
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

// Load reads the state; a missing file is an empty state. A file that is
// not progress (cut short by a full disk, edited by hand) gives an error
// that wraps ErrDamaged.
func Load(path string) (State, error) {
	data, err := readRegular(path)
	if errors.Is(err, fs.ErrNotExist) {
		return State{}, nil
	}
	if err != nil {
		return State{}, fmt.Errorf("cannot read progress file %s: %w", path, err)
	}
	return parse(path, data)
}

// readRegular reads path, which must be a regular file (a FIFO in its
// place would block, a folder cannot be read).
func readRegular(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, errNotRegular
	}
	return os.ReadFile(path)
}

// parse reads the file's content.
func parse(path string, data []byte) (State, error) {
	var s State
	if err := json.Unmarshal(data, &s); err != nil {
		return State{}, fmt.Errorf("progress file %s is damaged (%v); `sockstep progress --reset` starts afresh: %w", path, err, ErrDamaged)
	}
	return s, nil
}

// ErrDamaged means the progress file could not be read as progress.
var ErrDamaged = errors.New("the progress file is damaged")

// DamagedError is what Update returns when it found the file damaged: the
// change was saved to a fresh file, and the damaged one was kept at
// Backup, so that nothing is lost without a word.
type DamagedError struct {
	Path, Backup string
	Err          error // why the file was damaged
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("progress file %s was damaged; it is kept as %s and progress starts afresh", e.Path, e.Backup)
}

func (e *DamagedError) Unwrap() error { return ErrDamaged }

// SaveError means progress could not be saved: the file is read-only, a
// folder stands in its place, the disk is full.
type SaveError struct {
	Path string
	Err  error
}

func (e *SaveError) Error() string {
	return fmt.Sprintf("cannot save progress in %s: %v", e.Path, e.Err)
}

func (e *SaveError) Unwrap() error { return e.Err }

// errNotRegular is the reason given when a folder, a FIFO or a device
// stands where the file (or its lock) should be.
var errNotRegular = errors.New("a folder or a special file is in its place")

// lockError: the lock file (path) could not be opened or locked.
type lockError struct {
	path string
	err  error
}

func (e *lockError) Error() string {
	return fmt.Sprintf("cannot lock the progress file %s: %v", e.path, e.err)
}

func (e *lockError) Unwrap() error { return e.err }

// errBackup: a damaged file could not be copied aside, so it is left as
// it is and nothing is saved.
var errBackup = errors.New("the file is damaged, and a copy could not be kept")

// errReadOnly is the reason given for a file without write permission:
// someone made it read-only on purpose, so it is not replaced.
var errReadOnly = errors.New("the file is read-only")

// Warning says err, from Update, MarkLesson or MarkExercise, as a
// sentence in cat's language for the learner: their progress is a
// convenience, so it is a warning, never a failure.
func Warning(cat *content.Catalog, err error) string {
	var d *DamagedError
	var se *SaveError
	switch {
	case errors.As(err, &d):
		return cat.T("progress.damaged", d.Path, d.Backup)
	case errors.As(err, &se):
		// Every reason in the learner's language: the system's words
		// (ELOOP, EPERM) only for what content.OSText has no sentence for.
		var reason string
		var le *lockError
		switch {
		case errors.Is(se.Err, errReadOnly):
			reason = cat.T("progress.read-only")
		case errors.Is(se.Err, errNotRegular):
			reason = cat.T("progress.not-regular")
		case errors.As(se.Err, &le) && errors.Is(le.err, unix.ELOOP):
			reason = cat.T("progress.lock-link", le.path)
		case errors.As(se.Err, &le):
			reason = cat.T("progress.lock-failed", content.OSText(cat, le.err))
		case errors.Is(se.Err, errBackup):
			reason = cat.T("progress.backup-failed", content.OSText(cat, se.Err))
		default:
			reason = content.OSText(cat, se.Err)
		}
		return cat.T("progress.save-failed", se.Path, reason)
	}
	return cat.T("progress.save-failed", "—", err)
}

// Update applies change to the state under an exclusive lock and saves it
// atomically. The file is written where a symbolic link at path points
// (a progress file kept in a synced folder stays there). A damaged file is
// kept as FILE.bak and the change saved afresh: Update then returns a
// *DamagedError. When nothing could be saved it returns a *SaveError.
func Update(path string, change func(*State)) error {
	target, err := resolve(path)
	if err != nil {
		return &SaveError{path, err}
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return &SaveError{path, err}
	}
	lock, err := openLock(target + ".lock")
	if err != nil {
		return &SaveError{path, &lockError{target + ".lock", err}}
	}
	defer lock.Close()
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX); err != nil {
		return &SaveError{path, &lockError{target + ".lock", err}}
	}
	defer unix.Flock(int(lock.Fd()), unix.LOCK_UN)
	// Temporary files are only made under the lock, so any found now were
	// left by a writer that was killed: clear them away.
	if stale, _ := filepath.Glob(filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+".tmp*")); len(stale) > 0 {
		for _, f := range stale {
			os.Remove(f)
		}
	}

	var damaged *DamagedError
	data, err := readRegular(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil: // a folder in its place, no permission: leave it be
		return &SaveError{path, err}
	default:
		if st, err := os.Stat(target); err == nil && st.Mode().Perm()&0o222 == 0 {
			return &SaveError{path, errReadOnly}
		}
	}
	s, err := parse(target, data)
	if data != nil && err != nil {
		// Kept before it is replaced: the entries in it may be recovered
		// by hand. An earlier copy is kept too (a second damage must not
		// overwrite the one copy of the entries), and a link is never
		// followed: the first free name of FILE.bak, FILE.bak.1, ….
		damaged = &DamagedError{Path: path, Backup: backupName(target), Err: err}
		if err := writeAtomic(damaged.Backup, damaged.Backup, data); err != nil {
			return &SaveError{path, fmt.Errorf("%w: %w", errBackup, err)}
		}
		s = State{}
	}
	change(&s)
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return &SaveError{path, err}
	}
	if err := WriteFileAtomic(target, append(out, '\n')); err != nil {
		return &SaveError{path, err}
	}
	if damaged != nil {
		return damaged
	}
	return nil
}

// maxBackups bounds the copies of damaged files kept beside the file.
const maxBackups = 100

// backupName is where a damaged file at target is kept: the first of
// FILE.bak, FILE.bak.1, … FILE.bak.99 that holds nothing (not even a
// link); when all do, the last, replaced. Update calls it under the lock,
// so no other sockstep takes the same name meanwhile.
func backupName(target string) string {
	name := target + ".bak"
	for n := 1; n < maxBackups; n++ {
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			return name
		}
		name = fmt.Sprintf("%s.bak.%d", target, n)
	}
	return name
}

// openLock opens (creating) the lock file without following a symbolic
// link: a link planted at FILE.lock must not make sockstep create or open
// a file elsewhere. Only a regular file is a lock.
func openLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|unix.O_NOFOLLOW|unix.O_NONBLOCK, 0o644)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, errNotRegular
	}
	return f, nil
}

// resolve follows symbolic links from path to the file they name, which
// need not exist yet (a link to a file not yet written).
func resolve(path string) (string, error) {
	for hops := 0; hops < 40; hops++ {
		st, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		to, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(to) {
			to = filepath.Join(filepath.Dir(path), to)
		}
		path = to
	}
	return "", fmt.Errorf("%s: %w", path, unix.ELOOP)
}

// WriteFileAtomic replaces path with data so that readers see either the
// old file or the new one, never a part. A symbolic link at path is
// followed: the file it names is replaced, and the link stays. The file
// keeps the permissions it had; a new one is made 0644 (less the umask),
// like any document.
func WriteFileAtomic(path string, data []byte) error {
	target, err := resolve(path)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return writeAtomic(path, target, data)
}

// CheckWritable reports whether WriteFileAtomic(path) can work, without
// writing path: its folder takes a new file (made and removed at once),
// and path is not a folder. A run checks its --record file so before the
// lesson, rather than find out at its end.
func CheckWritable(path string) error {
	target, err := resolve(path)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if st, err := os.Stat(target); err == nil && st.IsDir() {
		return fmt.Errorf("cannot write %s: %w", path, &fs.PathError{Op: "open", Path: path, Err: syscall.EISDIR})
	}
	tmp, err := createTemp(target)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	tmp.Close()
	return os.Remove(tmp.Name())
}

// writeAtomic is WriteFileAtomic to target, named path in errors.
func writeAtomic(path, target string, data []byte) error {
	tmp, err := createTemp(target)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if st, err := os.Lstat(target); err == nil && st.Mode().IsRegular() {
		tmp.Chmod(st.Mode().Perm())
	}
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
	if err := os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if d, err := os.Open(filepath.Dir(target)); err == nil {
		d.Sync() // the rename itself reaches the disk
		d.Close()
	}
	return nil
}

// createTemp makes a new file beside target, named .BASE.tmpNNN, with mode
// 0644 less the umask (os.CreateTemp would make it 0600).
func createTemp(target string) (*os.File, error) {
	prefix := filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+".tmp")
	for i := 0; ; i++ {
		f, err := os.OpenFile(prefix+strconv.FormatUint(uint64(rand.Uint32()), 10), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil || !errors.Is(err, fs.ErrExist) || i >= 100 {
			return f, err
		}
	}
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
