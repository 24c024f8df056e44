package verify

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sockstep/sockstep/content"
)

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, mode); err != nil {
		t.Fatal(err)
	}
}

// A folder of mixed submissions: every one gets its row, in name order,
// and no broken one stops the others.
func TestBatch(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "subs")
	copyFile(t, "../../content/solutions/udp-send/main.go", filepath.Join(sub, "alice.go"), 0o644)
	copyFile(t, "testdata/go/udp-send--newline/main.go", filepath.Join(sub, "bob", "main.go"), 0o644)
	copyFile(t, bin("udp-send--joined"), filepath.Join(sub, "carol"), 0o755)
	copyFile(t, bin("hang"), filepath.Join(sub, "dave"), 0o755)
	const evil = "evil\x1b[2Jname" // a file name with a terminal escape in it
	copyFile(t, bin("crash"), filepath.Join(sub, evil), 0o755)
	os.WriteFile(filepath.Join(sub, "erin.go"), []byte("package main\n\nfunc main() {\n\toops()\n\tx := 1\n}\n"), 0o644)
	os.WriteFile(filepath.Join(sub, "notes.txt"), []byte("not a program"), 0o644)
	os.WriteFile(filepath.Join(sub, ".hidden.py"), []byte("raise SystemExit(1)"), 0o644)
	want := map[string]string{
		"alice.go":  statusPass,
		"bob":       statusFail,
		"carol":     statusFail,
		"dave":      statusFail,
		evil:        statusFail,
		"erin.go":   statusBuildError,
		"notes.txt": statusUnsupported,
	}
	if _, err := exec.LookPath("python3"); err == nil {
		copyFile(t, "testdata/python/udp-send--ok.py", filepath.Join(sub, "frank.py"), 0o644)
		copyFile(t, "testdata/python/udp-send--typo.py", filepath.Join(sub, "grace.py"), 0o644)
		want["frank.py"], want["grace.py"] = statusPass, statusFail
	} else {
		t.Log("python3 is not installed: the batch has no Python submissions")
	}

	jsonFile, csvFile := filepath.Join(dir, "out.json"), filepath.Join(dir, "out.csv")
	var stdout, stderr bytes.Buffer
	// 3 s: python3 behind a pyenv shim takes 0.3 s to start on an idle
	// machine, and a loaded one made frank.py miss a 1 s limit.
	code := Command(context.Background(),
		[]string{"udp-send", "--batch", sub, "-j", "3", "--timeout", "3s", "--json", jsonFile, "--csv", csvFile},
		nil, &stdout, &stderr, content.English, nil)
	if code != ExitFail {
		t.Errorf("exit status %d, want %d (some submissions fail)", code, ExitFail)
	}

	var rep report
	data, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	var names []string
	for _, r := range rep.Results {
		got[r.Submission] = r.Status
		names = append(names, r.Submission)
		if r.Status != statusPass && r.FirstDifference == "" {
			t.Errorf("%s: status %s without a first difference", r.Submission, r.Status)
		}
	}
	if len(got) != len(want) {
		t.Errorf("rows for %v, want %d rows", names, len(want))
	}
	for name, status := range want {
		if got[name] != status {
			t.Errorf("%s: status %q, want %q", name, got[name], status)
		}
	}
	for _, r := range rep.Results {
		if r.Submission == evil && len(r.StderrTail) == 0 {
			t.Errorf("the crashed submission's error output is not in the JSON")
		}
		if r.Submission == "erin.go" && (len(r.BuildOutput) < 2 || !strings.Contains(strings.Join(r.BuildOutput, "\n"), "declared and not used")) {
			t.Errorf("erin.go's build output keeps only %q: want the compiler's every error", r.BuildOutput)
		}
		if r.Submission == "bob" && (len(r.Observed) == 0 || !strings.Contains(strings.Join(r.Observed, "\n"), "datagram(s) arrived")) {
			t.Errorf("bob's row does not say what verify saw: %q", r.Observed)
		}
	}
	if !isSorted(names) {
		t.Errorf("rows are not in name order: %v", names)
	}
	if rep.Total != len(want) {
		t.Errorf("total %d, want %d", rep.Total, len(want))
	}

	rows, err := csv.NewReader(bytes.NewReader(must(os.ReadFile(csvFile)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want)+1 {
		t.Errorf("CSV has %d rows, want a header and %d", len(rows), len(want))
	}
	if h := strings.Join(rows[0], ","); h != "submission,status,first_difference,hint_text,duration_ms,stderr_tail,build_output" {
		t.Errorf("CSV header %q: want the JSON's names", h)
	}
	if csvText := string(must(os.ReadFile(csvFile))); strings.Contains(csvText, "\x1b") || !strings.Contains(csvText, `evil\x1b[2Jname`) {
		t.Errorf("the CSV does not show the escape in a file name visibly:\n%s", csvText)
	}
	if strings.Contains(stdout.String()+stderr.String(), "\x1b[2J") {
		t.Error("the table or the progress lines print a file name's escape sequence raw")
	}

	table := stdout.String()
	for _, s := range []string{"submission", "alice.go", "build error", "unsupported", "datagram 1", "declared and not used"} {
		if !strings.Contains(table, s) {
			t.Errorf("the table lacks %q:\n%s", s, table)
		}
	}
	// Not a terminal: one line says what is built, then one plain
	// progress line per submission, no \r. (Then one line says how the
	// programs were isolated.)
	if n := strings.Count(stderr.String(), "\n["); n != len(want) || strings.Contains(stderr.String(), "\r") {
		t.Errorf("progress on stderr:\n%q", stderr.String())
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".out.*"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestBatchMissingFolder(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Command(context.Background(), []string{"udp-send", "--batch", filepath.Join(t.TempDir(), "nope")},
		nil, &stdout, &stderr, content.Chinese, nil)
	if code != ExitUsage || !strings.Contains(stderr.String(), "读不了目录") {
		t.Errorf("status %d, stderr %q", code, stderr.String())
	}
}

func isSorted(s []string) bool {
	for i := 1; i < len(s); i++ {
		if s[i-1] > s[i] {
			return false
		}
	}
	return true
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// Every submission is built before any is run, so that a compiler never
// takes the time of a check: with -j 4, a Python program checked beside
// four Go builds used to run out of time.
func TestBatchBuildsFirst(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "subs")
	for _, n := range []string{"a.go", "c.go", "e.go"} {
		copyFile(t, "../../content/solutions/udp-send/main.go", filepath.Join(sub, n), 0o644)
	}
	for _, n := range []string{"b", "d"} {
		copyFile(t, bin("udp-send"), filepath.Join(sub, n), 0o755)
	}
	var mu sync.Mutex
	var steps []string
	batchStep = func(step string, s *submission) {
		if strings.HasPrefix(s.path, dir) {
			mu.Lock()
			steps = append(steps, step+" "+s.name)
			mu.Unlock()
		}
	}
	defer func() { batchStep = func(string, *submission) {} }()
	var stdout, stderr bytes.Buffer
	code := Command(context.Background(), []string{"udp-send", "--batch", sub, "-j", "4"}, nil, &stdout, &stderr, content.English, nil)
	if code != ExitPass {
		t.Errorf("exit status %d, want %d:\n%s\n%s", code, ExitPass, stdout.String(), stderr.String())
	}
	if !strings.Contains(stderr.String(), "Building the Go submissions (3) before checking any.") {
		t.Errorf("no building line:\n%s", stderr.String())
	}
	if len(steps) != 10 {
		t.Fatalf("steps = %q, want a build and a run for each of 5", steps)
	}
	for i, s := range steps {
		if strings.HasPrefix(s, "run") != (i >= 5) {
			t.Errorf("steps = %q: a run started before every build was done", steps)
			break
		}
	}
}

// A file name that is not UTF-8 (张三.py named in GBK on a Chinese
// Windows share) keeps its bytes in the JSON: the escaped form in
// submission, the bytes themselves in submission_bytes.
func TestJSONNonUTF8Name(t *testing.T) {
	name := "\xd5\xc5\xc8\xfd.py" // 张三 in GBK
	file := filepath.Join(t.TempDir(), "r.json")
	rows := []row{{Submission: name, Status: statusPass, Passed: true}, {Submission: "张三.py", Status: statusPass, Passed: true}}
	if err := writeExports(cmdArgs{exercise: "udp-send", jsonFile: file}, content.Text(content.English), rows); err != nil {
		t.Fatal(err)
	}
	data := must(os.ReadFile(file))
	var rep report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if r := rep.Results[0]; r.Submission != `\xd5\xc5\xc8\xfd.py` || string(r.SubmissionBytes) != name {
		t.Errorf("submission %q, bytes %q; want the escaped form and the bytes:\n%s", r.Submission, r.SubmissionBytes, data)
	}
	if r := rep.Results[1]; r.Submission != "张三.py" || r.SubmissionBytes != nil {
		t.Errorf("a UTF-8 name: submission %q, bytes %q; want it as it is, and no bytes", r.Submission, r.SubmissionBytes)
	}
	if bytes.Contains(data, []byte("\ufffd")) || rows[0].Submission != name {
		t.Errorf("the JSON replaced bytes, or the rows were changed:\n%s", data)
	}
}

// A result file that cannot be written is said in the learner's
// language, with the file's name.
func TestExportErrorText(t *testing.T) {
	file := filepath.Join(t.TempDir(), "no-such-folder", "r.json")
	err := writeExports(cmdArgs{exercise: "udp-send", jsonFile: file}, content.Text(content.Chinese), []row{{Submission: "a.py", Status: statusPass}})
	if err == nil {
		t.Fatal("no error for a file in a folder that does not exist")
	}
	got := exportText(content.Text(content.Chinese), err)
	if want := "结果写不进 " + file + "：文件或目录不存在。"; got != want {
		t.Errorf("exportText = %q, want %q", got, want)
	}
}

// A symbolic link to nothing is said to be one, with its target, not a
// link to itself outside the folder.
func TestBatchDanglingLink(t *testing.T) {
	sub := t.TempDir()
	if err := os.Symlink("missing.py", filepath.Join(sub, "dangling.py")); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	Command(context.Background(), []string{"udp-send", "--batch", sub}, nil, &stdout, &stderr, content.English, nil)
	if out := stdout.String(); !strings.Contains(out, "a symbolic link to missing.py, which does not exist") || strings.Contains(out, "outside") {
		t.Errorf("the table:\n%s", out)
	}
}
