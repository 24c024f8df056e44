package progress

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzProgressFile: any bytes in the progress file. Load never panics;
// recording a lesson then either keeps every entry the file had (when it
// loaded) or keeps the file, byte for byte, as FILE.bak and says so; and
// the file is valid progress afterwards.
func FuzzProgressFile(f *testing.F) {
	f.Add([]byte(`{"lessons":{"intro":"2026-11-27T10:00:00Z"},"exercises":{"udp-send":"2026-11-27T11:00:00Z"}}`))
	f.Add([]byte("{\n  \"lessons\": {\n    \"intro\": \"2026-11-27T10:00:00Z\",\n    \"udp-se"))
	f.Add([]byte("null"))
	f.Add([]byte("[]"))
	f.Add([]byte(`{"lessons":{"a":"yesterday"}}`))
	f.Add([]byte(""))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "progress.json")
		os.Remove(path + ".bak")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		before, lerr := Load(path)
		err := MarkLesson(path, "fuzz-new")
		var d *DamagedError
		switch {
		case lerr == nil && err != nil:
			t.Fatalf("file %q loads, but recording fails: %v", data, err)
		case lerr != nil && !errors.As(err, &d):
			t.Fatalf("file %q does not load (%v), but recording says %v", data, lerr, err)
		case lerr != nil:
			if bak, _ := os.ReadFile(d.Backup); !bytes.Equal(bak, data) {
				t.Fatalf("backup holds %q, want %q", bak, data)
			}
		}
		after, err := Load(path)
		if err != nil || after.Lessons["fuzz-new"].IsZero() {
			t.Fatalf("after recording: %+v, %v", after, err)
		}
		for id, when := range before.Lessons {
			if id != "fuzz-new" && !after.Lessons[id].Equal(when) {
				t.Fatalf("lesson %q lost or changed: %v, then %v", id, when, after.Lessons[id])
			}
		}
		for id, when := range before.Exercises {
			if !after.Exercises[id].Equal(when) {
				t.Fatalf("exercise %q lost or changed", id)
			}
		}
	})
}
