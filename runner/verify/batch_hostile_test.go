package verify

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"
)

// Submissions that are symbolic links out of the folder are refused, in
// both languages, and nothing of the file they point to reaches the
// reports; links that stay inside are followed.
func TestBatchRefusesLinksOut(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.txt")
	os.WriteFile(secret, []byte("root:SECRET-HASH:19000:0:99999:7:::\n"), 0o600)
	sub := filepath.Join(dir, "subs")
	copyFile(t, bin("crash"), filepath.Join(sub, "inside-target"), 0o755)
	must0(t, os.Symlink(secret, filepath.Join(sub, "shadow.py")))
	must0(t, os.Symlink("inside-target", filepath.Join(sub, "inside-link")))
	must0(t, os.MkdirAll(filepath.Join(sub, "godir"), 0o755))
	must0(t, os.Symlink(secret, filepath.Join(sub, "godir", "main.go")))
	must0(t, os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(sub, "dangling")))

	for _, lang := range []content.Lang{content.English, content.Chinese} {
		t.Run(string(lang), func(t *testing.T) {
			out := t.TempDir()
			jsonFile, csvFile := filepath.Join(out, "r.json"), filepath.Join(out, "r.csv")
			var stdout, stderr bytes.Buffer
			Command(context.Background(), []string{"udp-send", "--batch", sub, "--timeout", "1s", "--json", jsonFile, "--csv", csvFile},
				nil, &stdout, &stderr, lang, nil)
			cat := content.Text(lang)
			for _, name := range []string{"shadow.py", "godir", "dangling"} {
				line := lineWith(stdout.String(), name)
				if !strings.Contains(line, cat.T("verify.status.refused")) {
					t.Errorf("%s: the table says %q, want it refused", name, line)
				}
			}
			for _, name := range []string{"inside-link", "inside-target"} {
				if line := lineWith(stdout.String(), name); !strings.Contains(line, cat.T("verify.status.fail")) {
					t.Errorf("%s (inside the folder): the table says %q, want it checked (fail)", name, line)
				}
			}
			for _, f := range []string{jsonFile, csvFile} {
				if data, _ := os.ReadFile(f); bytes.Contains(data, []byte("SECRET")) {
					t.Errorf("%s holds the linked file's contents", filepath.Base(f))
				}
			}
			if strings.Contains(stdout.String()+stderr.String(), "SECRET") {
				t.Error("the table shows the linked file's contents")
			}
		})
	}
}

func lineWith(s, name string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, name+" ") {
			return l
		}
	}
	return ""
}

func must0(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Cells a spreadsheet would run as a formula are written as text.
func TestCSVFormulaInjection(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=HYPERLINK(\"http://127.0.0.1/\",\"x\")", "'=HYPERLINK(\"http://127.0.0.1/\",\"x\")"},
		{"+1+1", "'+1+1"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"alice.py", "alice.py"},
		{"", ""},
		{"a=b", "a=b"},
	}
	for _, tt := range tests {
		if got := csvCell(tt.in); got != tt.want {
			t.Errorf("csvCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	csvFile := filepath.Join(t.TempDir(), "r.csv")
	rows := []row{{Submission: "=cmd|' /C calc'!A0", Status: statusFail, FirstDifference: "-x", StderrTail: []string{"@evil"}}}
	if err := writeExports(cmdArgs{exercise: "udp-send", csvFile: csvFile}, content.Text(content.English), rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(must(os.ReadFile(csvFile)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, cell := range recs[1] {
		if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
			t.Errorf("cell %q starts a formula", cell)
		}
	}
}

// Nothing is fetched to build a submission: a go.mod asking for a newer
// toolchain or for a module fails to build, with the go command's reason.
func TestBuildFetchesNothing(t *testing.T) {
	const sum = "example.com/absent v1.0.0 h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n" +
		"example.com/absent v1.0.0/go.mod h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
	tests := []struct {
		name, gomod, gosum, main, want string
	}{
		{"newer toolchain", "module m\n\ngo 1.999\n", "", "package main\n\nfunc main() {}\n", "GOTOOLCHAIN=local"},
		{"a module", "module m\n\ngo 1.21\n\nrequire example.com/absent v1.0.0\n", sum,
			"package main\n\nimport _ \"example.com/absent\"\n\nfunc main() {}\n", "GOPROXY=off"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := sharedTemp(t)
			sub := filepath.Join(dir, "s")
			os.MkdirAll(sub, 0o755)
			os.WriteFile(filepath.Join(sub, "go.mod"), []byte(tt.gomod), 0o644)
			os.WriteFile(filepath.Join(sub, "main.go"), []byte(tt.main), 0o644)
			if tt.gosum != "" {
				os.WriteFile(filepath.Join(sub, "go.sum"), []byte(tt.gosum), 0o644)
			}
			s := submission{name: "s", path: sub, kind: "go-dir"}
			err := s.prepare(context.Background(), dir)
			var be *errBuild
			if !errors.As(err, &be) {
				t.Fatalf("prepare = %v, want a build error", err)
			}
			if !strings.Contains(be.msg, tt.want) {
				t.Errorf("the build error does not name %s: %s", tt.want, be.msg)
			}
		})
	}
	env := strings.Join(buildEnv(), "\n")
	for _, kv := range []string{"GOTOOLCHAIN=local", "GOPROXY=off"} {
		if !strings.Contains(env, kv) {
			t.Errorf("the build environment lacks %s", kv)
		}
	}
}

// Whatever a submission's name and error output hold, the CSV reads back
// as the same number of cells, none of which a spreadsheet would run.
func FuzzCSVExport(f *testing.F) {
	for _, s := range []string{"=1+1", "+", "-", "@x", "\tx", "\rx", "a\"b", "a,b\nc", "\x1b]0;t\x07", "你好"} {
		f.Add(s, s)
	}
	cat := content.Text(content.English)
	f.Fuzz(func(t *testing.T, name, stderr string) {
		csvFile := filepath.Join(t.TempDir(), "r.csv")
		rows := []row{{Submission: name, Status: statusFail, FirstDifference: name, StderrTail: []string{stderr}}}
		if err := writeExports(cmdArgs{exercise: "udp-send", csvFile: csvFile}, cat, rows); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(must(os.ReadFile(csvFile)))).ReadAll()
		if err != nil {
			t.Fatalf("the CSV does not read back: %v", err)
		}
		if len(recs) != 2 || len(recs[1]) != 7 {
			t.Fatalf("read back %d rows, %v", len(recs), recs)
		}
		for _, cell := range recs[1] {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q starts a formula", cell)
			}
		}
	})
}

// sharedTemp is a batch's temporary folder: reachable by nobody, as
// runBatch makes it.
func sharedTemp(t *testing.T) string {
	t.Helper()
	tmp, err := os.MkdirTemp("", "sockstep-batch-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	must0(t, os.Chmod(tmp, 0o755))
	return tmp
}
