//go:build !windows

package progress

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockstep/sockstep/content"
)

func TestMarkAndLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "progress.json")
	if st, err := Load(path); err != nil || len(st.Lessons) != 0 {
		t.Fatalf("Load of a missing file = %v, %v; want empty, nil", st, err)
	}
	if err := MarkLesson(path, "udp-recv"); err != nil {
		t.Fatal(err)
	}
	if err := MarkExercise(path, "tcp-server"); err != nil {
		t.Fatal(err)
	}
	st, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := st.Lessons["udp-recv"]; !ok {
		t.Errorf("lesson not recorded: %+v", st)
	}
	if _, ok := st.Exercises["tcp-server"]; !ok {
		t.Errorf("exercise not recorded: %+v", st)
	}
	if err := Reset(path); err != nil {
		t.Fatal(err)
	}
	if st, _ := Load(path); len(st.Lessons)+len(st.Exercises) != 0 {
		t.Errorf("after Reset: %+v", st)
	}
}

// Item by item, what becomes of progress when the file is not as it
// should be: nothing is lost or overwritten without a word, and the
// learner is told, in their language.
func TestUnusualFiles(t *testing.T) {
	old := unix.Umask(0o022)
	defer unix.Umask(old)
	zh := content.Text(content.Chinese)
	const truncated = "{\n  \"lessons\": {\n    \"intro\": \"2026-11-27T10:00:00Z\",\n    \"udp-se"
	tests := []struct {
		name string
		// setup makes the unusual file in dir and returns the path to
		// record progress at.
		setup func(t *testing.T, dir string) string
		// check looks at the error and at dir afterwards.
		check func(t *testing.T, dir, path string, err error)
	}{
		{"damaged file: kept as .bak, progress starts afresh", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "progress.json")
			os.WriteFile(p, []byte(truncated), 0o644)
			return p
		}, func(t *testing.T, dir, path string, err error) {
			var d *DamagedError
			if !errors.As(err, &d) || !errors.Is(err, ErrDamaged) || d.Backup != path+".bak" {
				t.Fatalf("error = %v, want a DamagedError with the backup beside the file", err)
			}
			if b, _ := os.ReadFile(path + ".bak"); string(b) != truncated {
				t.Errorf(".bak holds %q, want the damaged file as it was", b)
			}
			if st, err := Load(path); err != nil || st.Lessons["new"].IsZero() {
				t.Errorf("after the update: %+v, %v; want the new lesson recorded", st, err)
			}
			if w := Warning(zh, err); !strings.Contains(w, path+".bak") || !strings.Contains(w, "损坏") {
				t.Errorf("warning = %q", w)
			}
		}},
		{"damaged file with a link at .bak: the link is left, not followed, and the copy kept as .bak.1", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "progress.json")
			os.WriteFile(p, []byte(truncated), 0o644)
			os.WriteFile(filepath.Join(dir, "precious"), []byte("keep me"), 0o644)
			os.Symlink("precious", p+".bak")
			return p
		}, func(t *testing.T, dir, path string, err error) {
			if !errors.Is(err, ErrDamaged) {
				t.Fatalf("error = %v, want ErrDamaged", err)
			}
			if b, _ := os.ReadFile(filepath.Join(dir, "precious")); string(b) != "keep me" {
				t.Errorf("the file .bak linked to was overwritten: %q", b)
			}
			if st, err := os.Lstat(path + ".bak"); err != nil || st.Mode()&os.ModeSymlink == 0 {
				t.Errorf("the link at .bak was replaced: %v", err)
			}
			if st, err := os.Lstat(path + ".bak.1"); err != nil || !st.Mode().IsRegular() {
				t.Errorf(".bak.1 is not a regular file holding the damaged one: %v", err)
			}
		}},
		{"damaged twice: the first copy is kept, the second is .bak.1, and said", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "progress.json")
			os.WriteFile(p, []byte(truncated), 0o644)
			if err := MarkLesson(p, "first"); !errors.Is(err, ErrDamaged) {
				t.Fatalf("first damage: %v", err)
			}
			os.WriteFile(p, []byte("garbage2"), 0o644)
			return p
		}, func(t *testing.T, dir, path string, err error) {
			var d *DamagedError
			if !errors.As(err, &d) || d.Backup != path+".bak.1" {
				t.Fatalf("error = %v, want a DamagedError kept as .bak.1", err)
			}
			if b, _ := os.ReadFile(path + ".bak"); string(b) != truncated {
				t.Errorf(".bak holds %q, want the first damaged file, with its entries", b)
			}
			if b, _ := os.ReadFile(path + ".bak.1"); string(b) != "garbage2" {
				t.Errorf(".bak.1 holds %q, want the second damaged file", b)
			}
			for _, cat := range []*content.Catalog{zh, content.Text(content.English)} {
				if w := Warning(cat, err); !strings.Contains(w, path+".bak.1") {
					t.Errorf("warning = %q, want the name of the copy", w)
				}
			}
		}},
		{"read-only file: left alone, and said", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "progress.json")
			os.WriteFile(p, []byte("{}\n"), 0o444)
			return p
		}, func(t *testing.T, dir, path string, err error) {
			var se *SaveError
			if !errors.As(err, &se) {
				t.Fatalf("error = %v, want a SaveError", err)
			}
			if b, _ := os.ReadFile(path); string(b) != "{}\n" {
				t.Errorf("the read-only file was changed: %q", b)
			}
			if w := Warning(zh, err); !strings.Contains(w, "只读") {
				t.Errorf("warning = %q", w)
			}
		}},
		{"a folder in its place: left alone, and said", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "progress.json")
			os.Mkdir(p, 0o755)
			os.WriteFile(filepath.Join(p, "keep"), []byte("x"), 0o644)
			return p
		}, func(t *testing.T, dir, path string, err error) {
			var se *SaveError
			if !errors.As(err, &se) {
				t.Fatalf("error = %v, want a SaveError", err)
			}
			if _, err := os.Stat(filepath.Join(path, "keep")); err != nil {
				t.Errorf("the folder was disturbed: %v", err)
			}
			if w := Warning(zh, err); !strings.Contains(w, "进度没能保存") {
				t.Errorf("warning = %q", w)
			}
		}},
		{"a FIFO in its place: no hang, and said", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "progress.json")
			if err := unix.Mkfifo(p, 0o644); err != nil {
				t.Fatal(err)
			}
			return p
		}, func(t *testing.T, dir, path string, err error) {
			var se *SaveError
			if !errors.As(err, &se) {
				t.Fatalf("error = %v, want a SaveError", err)
			}
		}},
		{"symlink: written through to its target, the link stays", func(t *testing.T, dir string) string {
			os.Mkdir(filepath.Join(dir, "synced"), 0o755)
			os.WriteFile(filepath.Join(dir, "synced", "real.json"), []byte(`{"lessons":{"old":"2026-01-01T00:00:00Z"}}`), 0o600)
			p := filepath.Join(dir, "progress.json")
			os.Symlink(filepath.Join("synced", "real.json"), p)
			return p
		}, func(t *testing.T, dir, path string, err error) {
			if err != nil {
				t.Fatal(err)
			}
			if st, err := os.Lstat(path); err != nil || st.Mode()&os.ModeSymlink == 0 {
				t.Errorf("the link was replaced: %v, %v", st.Mode(), err)
			}
			real := filepath.Join(dir, "synced", "real.json")
			st, err := Load(real)
			if err != nil || st.Lessons["old"].IsZero() || st.Lessons["new"].IsZero() {
				t.Errorf("target holds %+v, %v; want old and new", st, err)
			}
			if fi, _ := os.Stat(real); fi.Mode().Perm() != 0o600 {
				t.Errorf("target mode %v, want its own 0600 kept", fi.Mode().Perm())
			}
		}},
		{"dangling symlink: its target is created", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "progress.json")
			os.Symlink("elsewhere.json", p)
			return p
		}, func(t *testing.T, dir, path string, err error) {
			if err != nil {
				t.Fatal(err)
			}
			if st, err := Load(filepath.Join(dir, "elsewhere.json")); err != nil || st.Lessons["new"].IsZero() {
				t.Errorf("target holds %+v, %v", st, err)
			}
		}},
		{"symlinked lock: refused, nothing made where it points", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "progress.json")
			os.Symlink(filepath.Join(dir, "victim"), p+".lock")
			return p
		}, func(t *testing.T, dir, path string, err error) {
			var se *SaveError
			if !errors.As(err, &se) {
				t.Fatalf("error = %v, want a SaveError", err)
			}
			if _, err := os.Lstat(filepath.Join(dir, "victim")); err == nil {
				t.Error("the lock's link was followed: victim was created")
			}
			if w := Warning(zh, err); !strings.Contains(w, "符号链接") || !strings.Contains(w, path+".lock") || strings.Contains(w, "symbolic") {
				t.Errorf("warning = %q, want the lock's link said in Chinese", w)
			}
		}},
		{"new file: 0644 less the umask, like any document", func(t *testing.T, dir string) string {
			return filepath.Join(dir, "sub", "progress.json")
		}, func(t *testing.T, dir, path string, err error) {
			if err != nil {
				t.Fatal(err)
			}
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
				t.Errorf("mode = %v, %v; want 0644", fi.Mode().Perm(), err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := tt.setup(t, dir)
			done := make(chan error, 1)
			go func() { done <- MarkLesson(path, "new") }()
			select {
			case err := <-done:
				tt.check(t, dir, path, err)
			case <-time.After(20 * time.Second):
				t.Fatal("MarkLesson hung")
			}
		})
	}
}

// A transcript (--record) is a document: 0644 less the umask, written
// whole or not at all; a file that exists keeps its mode.
func TestWriteFileAtomicMode(t *testing.T) {
	old := unix.Umask(0o027)
	defer unix.Umask(old)
	dir := t.TempDir()
	p := filepath.Join(dir, "class.md")
	if err := WriteFileAtomic(p, []byte("# transcript\n")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o640 {
		t.Errorf("new transcript mode %v, want 0644 less umask 027 = 0640", fi.Mode().Perm())
	}
	os.Chmod(p, 0o664)
	if err := WriteFileAtomic(p, []byte("# again\n")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o664 {
		t.Errorf("rewritten transcript mode %v, want its 0664 kept", fi.Mode().Perm())
	}
}

// TestConcurrentWriters: many goroutines and several processes record at
// once; no update may be lost and the file must stay valid.
func TestConcurrentWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	const goroutines, procs, each = 8, 3, 10
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if err := MarkLesson(path, fmt.Sprintf("g%d-%d", g, i)); err != nil {
					t.Error(err)
				}
			}
		}(g)
	}
	var cmds []*exec.Cmd
	for p := 0; p < procs; p++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$")
		cmd.Env = append(os.Environ(), "PROGRESS_HELPER="+path, "PROGRESS_PREFIX=p"+strconv.Itoa(p), "PROGRESS_COUNT="+strconv.Itoa(each))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	wg.Wait()
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("writer process: %v", err)
		}
	}
	st, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := goroutines*each + procs*each; len(st.Lessons) != want {
		t.Errorf("%d lessons recorded, want %d: updates were lost", len(st.Lessons), want)
	}
}

// TestKillMidWrite kills a process that writes in a tight loop at random
// moments; after every kill the file must still parse, and no temporary
// file may be left as the progress file.
func TestKillMidWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	if err := MarkLesson(path, "first"); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 5; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$")
		cmd.Env = append(os.Environ(), "PROGRESS_HELPER="+path, "PROGRESS_PREFIX=k"+strconv.Itoa(round), "PROGRESS_COUNT=100000")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(20+round*15) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		st, err := Load(path)
		if err != nil {
			t.Fatalf("round %d: after SIGKILL the file does not load: %v", round, err)
		}
		if st.Lessons["first"].IsZero() {
			t.Fatalf("round %d: earlier progress lost", round)
		}
	}
	// The next write clears temporary files a killed writer left behind.
	if err := MarkLesson(path, "last"); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*tmp*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// TestHelperWriter is not a test: it is the child process of the tests
// above, recording PROGRESS_COUNT lessons.
func TestHelperWriter(t *testing.T) {
	path := os.Getenv("PROGRESS_HELPER")
	if path == "" {
		t.Skip("helper process for TestConcurrentWriters and TestKillMidWrite")
	}
	n, _ := strconv.Atoi(os.Getenv("PROGRESS_COUNT"))
	for i := 0; i < n; i++ {
		if err := MarkLesson(path, fmt.Sprintf("%s-%d", os.Getenv("PROGRESS_PREFIX"), i)); err != nil {
			t.Fatal(err)
		}
	}
}

func ExampleMarkLesson() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "progress.json")
	MarkLesson(path, "tcp-server")
	st, _ := Load(path)
	fmt.Println(Sorted(st.Lessons))
	// Output: [tcp-server]
}

// TestWarningInChinese: a save that fails for a reason of the system's
// (a file made immutable: rename gives EPERM; a link loop: ELOOP) is said
// in the learner's language, not in the system's English words.
func TestWarningInChinese(t *testing.T) {
	zh := content.Text(content.Chinese)
	for _, c := range []struct {
		err  error
		want string
	}{
		{&SaveError{"p.json", fmt.Errorf("cannot write p.json: %w", &os.LinkError{Op: "rename", Old: "x", New: "p.json", Err: syscall.EPERM})}, "没有权限"},
		{&SaveError{"p.json", fmt.Errorf("p.json: %w", unix.ELOOP)}, "符号链接"},
		{&SaveError{"p.json", &lockError{"p.json.lock", &os.PathError{Op: "open", Path: "p.json.lock", Err: syscall.EACCES}}}, "无法加锁：没有权限"},
		{&SaveError{"p.json", fmt.Errorf("%w: %w", errBackup, &os.PathError{Op: "open", Path: "p.json.bak", Err: syscall.ENOSPC})}, "没能保存它的副本：磁盘已满"},
	} {
		w := Warning(zh, c.err)
		if !strings.Contains(w, c.want) || strings.Contains(w, "not permitted") || strings.Contains(w, "levels") || strings.Contains(w, "cannot") {
			t.Errorf("warning for %v = %q, want %q and no English", c.err, w, c.want)
		}
	}
}
