package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner/escape"
)

// Statuses of a batch row; stable codes for JSON and CSV.
const (
	statusPass        = "pass"
	statusFail        = "fail"
	statusBuildError  = "build-error"
	statusUnsupported = "unsupported"
	statusError       = "error"
	statusRefused     = "refused" // a symbolic link out of the folder, or a hard link
)

// row is the outcome of one submission.
type row struct {
	Submission string `json:"submission"` // the entry's name as it is: escape it before printing
	// SubmissionBytes is the name's bytes (base64 in JSON) when they are
	// not UTF-8 (a file named in GBK): JSON cannot hold them, so the JSON's
	// submission is then the escaped form, each non-ASCII byte as \xNN,
	// as the table and the CSV show it.
	SubmissionBytes []byte   `json:"submission_bytes,omitempty"`
	Status          string   `json:"status"`
	Passed          bool     `json:"passed"`
	FirstDifference string   `json:"first_difference,omitempty"`
	Hints           []string `json:"hints,omitempty"`     // catalog keys
	HintText        []string `json:"hint_text,omitempty"` // in the chosen language
	DurationMS      int64    `json:"duration_ms"`
	// StderrTail is the end of a failed program's error output (a crash's
	// traceback), so that an instructor sees why without running it again.
	StderrTail []string `json:"stderr_tail,omitempty"`
	// Observed is what verify saw, with times (bytes and close of each
	// connection, datagrams, run time), in the chosen language.
	Observed []string `json:"observed,omitempty"`
	// Isolation is how the program was kept apart from verify (a
	// proc.Isolation: "pid-namespace+uid-nobody", "process-group+uid-nobody"
	// (root: never uid 0), "user+pid-namespace" or "process-group").
	Isolation string `json:"isolation,omitempty"`
	// Substituted names the interpreter used instead of the command's,
	// which the user nobody could not run ("FROM → TO").
	Substituted string `json:"interpreter_substituted,omitempty"`
	// BuildOutput is the start of the compiler's message of a submission
	// that does not build (at most maxBuildLines lines, maxBuildBytes
	// bytes, each line escaped): the first line alone often says only
	// where, and the next ones say what.
	BuildOutput []string `json:"build_output,omitempty"`
}

func rowFor(cat *content.Catalog, name string, r *Result) row {
	w := row{Submission: name, Passed: r.Passed, DurationMS: r.Elapsed.Milliseconds(), Isolation: string(r.Obs.Exit.Isolation), Substituted: r.Obs.Exit.Substituted}
	w.Status = statusFail
	if r.Passed {
		w.Status = statusPass
	}
	w.FirstDifference = firstDifference(cat, r)
	for _, h := range r.Hints {
		w.Hints = append(w.Hints, h.Key)
		w.HintText = append(w.HintText, showHint(cat, h))
	}
	if !r.Passed {
		w.StderrTail = stderrTail(r.Obs)
		w.Observed = observed(cat, r.Obs)
	}
	return w
}

// runBatch grades every entry of a folder in parallel. One submission that
// does not build, crashes or hangs costs only its own row.
func runBatch(ctx context.Context, a cmdArgs, stdout, stderr io.Writer, cat *content.Catalog) int {
	subs, err := findSubmissions(a.batchDir)
	if err != nil {
		fmt.Fprintln(stderr, cat.T("verify.batch.cannot_read", escape.String(a.batchDir), err))
		return ExitUsage
	}
	tmp, err := os.MkdirTemp("", "sockstep-batch-")
	if err != nil {
		fmt.Fprintln(stderr, cat.T("verify.error.tempdir", err))
		return ExitFail
	}
	defer os.RemoveAll(tmp)
	// Built programs live here; as root they run as nobody, who must be
	// able to reach them.
	_ = os.Chmod(tmp, 0o755)

	rows := gradeAll(ctx, a, subs, tmp, newProgress(stderr, cat, len(subs)), cat)
	writeTable(stdout, cat, styleFor(stdout), rows)
	sayIsolation(stderr, cat, rows)
	if err := writeExports(a, cat, rows); err != nil {
		fmt.Fprintln(stderr, exportText(cat, err))
		return ExitFail
	}
	if ctx.Err() != nil {
		// The rows graded before the interruption are written; the rest
		// say they were not checked.
		return interruptedStatus(ctx)
	}
	for _, r := range rows {
		if !r.Passed {
			return ExitFail
		}
	}
	return ExitPass
}

// gradeAll grades the submissions in two steps: it builds every one that
// needs building, then runs them, up to a.jobs at a time in each step. A
// compiler never runs beside a check, so builds cannot take the time a
// check gives a program. Rows keep the folder's order whatever the order
// of completion. The builds share a cache (tmp/gocache), written by the
// user the programs run as: it is removed before any program runs, so that
// no program can change what another is built from.
func gradeAll(ctx context.Context, a cmdArgs, subs []submission, tmp string, pr *progress, cat *content.Catalog) []row {
	rows := make([]row, len(subs))
	finished := make([]bool, len(subs))
	builds := 0
	for i := range subs {
		if subs[i].outside == "" && strings.HasPrefix(subs[i].kind, "go-") {
			builds++
		}
	}
	if builds > 0 {
		pr.say(cat.T("verify.batch.building", builds))
	}
	parallel(a.jobs, len(subs), func(i int) {
		batchStep("build", &subs[i])
		if r, done := prepare(ctx, &subs[i], tmp, cat); done {
			rows[i], finished[i] = r, true
			pr.done(r)
		}
	})
	_ = os.RemoveAll(filepath.Join(tmp, "gocache"))
	parallel(a.jobs, len(subs), func(i int) {
		if finished[i] {
			return
		}
		batchStep("run", &subs[i])
		rows[i] = check1(ctx, a, &subs[i], cat)
		pr.done(rows[i])
	})
	pr.finish()
	return rows
}

// batchStep is called as each step of a submission starts; tests set it.
var batchStep = func(step string, s *submission) {}

// parallel calls f(0) … f(n-1), up to jobs at a time, and returns when
// all have returned.
func parallel(jobs, n int, f func(int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(jobs, n)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

func interruptedRow(cat *content.Catalog, name string) row {
	return row{Submission: name, Status: statusError, FirstDifference: cat.T("verify.batch.interrupted")}
}

// prepare builds one submission if it needs building. It returns the
// submission's row, and true, when the submission cannot be run.
func prepare(ctx context.Context, s *submission, tmp string, cat *content.Catalog) (row, bool) {
	name := s.name
	switch {
	case ctx.Err() != nil: // Ctrl-C: the rest are not started
		return interruptedRow(cat, name), true
	case s.outside != "" && dangling(s.path):
		target, _ := os.Readlink(s.path)
		return row{Submission: name, Status: statusRefused, FirstDifference: cat.T("verify.batch.dangling_link", escape.String(target))}, true
	case s.outside != "":
		return row{Submission: name, Status: statusRefused, FirstDifference: cat.T("verify.batch.outside_link", escape.String(s.outside))}, true
	case s.hardLink != "" && s.links == 0:
		return row{Submission: name, Status: statusRefused, FirstDifference: cat.T("verify.batch.too_many_files", maxWalk)}, true
	case s.hardLink != "":
		rel, err := filepath.Rel(s.dir, s.hardLink)
		if err != nil {
			rel = s.hardLink
		}
		return row{Submission: name, Status: statusRefused, FirstDifference: cat.T("verify.batch.hard_link", escape.String(rel), s.links)}, true
	case s.kind == "":
		return row{Submission: name, Status: statusUnsupported, FirstDifference: cat.T("verify.batch.unsupported")}, true
	}
	if err := s.prepare(ctx, tmp); err != nil {
		if ctx.Err() != nil { // a build cut short by Ctrl-C is not a build error
			return interruptedRow(cat, name), true
		}
		var be *errBuild
		if errors.As(err, &be) {
			out := buildLines(be.msg)
			first := ""
			if len(out) > 0 {
				first = out[0]
			}
			return row{Submission: name, Status: statusBuildError, FirstDifference: cat.T("verify.batch.build_error", first), BuildOutput: out}, true
		}
		return row{Submission: name, Status: statusError, FirstDifference: escape.String(err.Error())}, true
	}
	return row{}, false
}

// dangling reports a symbolic link whose target does not exist (its
// resolved path cannot be named, so it is not "a link outside the folder").
func dangling(path string) bool {
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		return false
	}
	_, err = os.Stat(path)
	return errors.Is(err, fs.ErrNotExist)
}

// check1 runs one prepared submission.
func check1(ctx context.Context, a cmdArgs, s *submission, cat *content.Catalog) row {
	if ctx.Err() != nil {
		return interruptedRow(cat, s.name)
	}
	r, err := Run(ctx, a.exercise, s.argv, Options{Timeout: a.timeout, Dir: s.dir})
	if err != nil {
		return row{Submission: s.name, Status: statusError, FirstDifference: escape.String(err.Error())}
	}
	if r.Obs.Interrupted {
		return interruptedRow(cat, s.name)
	}
	return rowFor(cat, s.name, r)
}

// sayIsolation tells the instructor how the programs were kept apart from
// verify, once per kind used.
func sayIsolation(w io.Writer, cat *content.Catalog, rows []row) {
	seen := map[string]bool{}
	for _, r := range rows {
		if r.Isolation != "" && !seen[r.Isolation] {
			seen[r.Isolation] = true
			fmt.Fprintln(w, cat.T("verify.isolation."+r.Isolation))
		}
		if r.Substituted != "" && !seen[r.Substituted] {
			seen[r.Substituted] = true
			saySubstituted(w, cat, r.Substituted)
		}
	}
}

// saySubstituted tells that nobody could not run the command's own
// interpreter and which one was run instead (proc.Result.Substituted).
func saySubstituted(w io.Writer, cat *content.Catalog, sub string) {
	from, to, _ := strings.Cut(sub, " → ")
	fmt.Fprintln(w, cat.T("verify.substituted", escape.String(from), escape.String(to)))
}

// The compiler's message kept for a submission that does not build.
const (
	maxBuildLines = 20
	maxBuildBytes = 2048
)

// buildLines is the start of a compiler's message, escaped line by line:
// go build's "# command-line-arguments" header and empty lines are left
// out, and a cut is marked with "…".
func buildLines(msg string) []string {
	var out []string
	size := 0
	for _, l := range strings.Split(msg, "\n") {
		l = strings.TrimRight(l, " \t\r")
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "# ") {
			continue
		}
		l = escape.String(l)
		if len(out) == maxBuildLines || size+len(l) > maxBuildBytes {
			if len(out) == 0 { // one long line: its start
				out = append(out, truncateBytes(l, maxBuildBytes))
			}
			return append(out, "…")
		}
		size += len(l)
		out = append(out, l)
	}
	if len(out) == 0 && strings.TrimSpace(msg) != "" {
		out = append(out, escape.String(truncateBytes(strings.TrimSpace(msg), maxBuildBytes)))
	}
	return out
}

// truncateBytes cuts s to at most n bytes, at a rune boundary.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
