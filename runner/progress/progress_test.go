package progress

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
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

func TestDamagedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	os.WriteFile(path, []byte("{not json"), 0o644)
	if _, err := Load(path); err == nil {
		t.Error("Load of a damaged file gave no error")
	}
	// Recording progress replaces the damaged file rather than failing forever.
	if err := MarkLesson(path, "intro"); err != nil {
		t.Fatal(err)
	}
	if st, err := Load(path); err != nil || st.Lessons["intro"].IsZero() {
		t.Errorf("after MarkLesson: %+v, %v", st, err)
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
