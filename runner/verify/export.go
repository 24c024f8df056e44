package verify

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner/escape"
)

// report is the JSON written by --json.
type report struct {
	Exercise string `json:"exercise"`
	Passed   int    `json:"passed"`
	Total    int    `json:"total"`
	Results  []row  `json:"results"`
}

// writeExports writes --json and --csv, each atomically: a reader (a
// gradebook script, a file watcher) never sees half a file.
func writeExports(a cmdArgs, cat *content.Catalog, rows []row) error {
	if a.jsonFile != "" {
		rep := report{Exercise: a.exercise, Total: len(rows), Results: make([]row, len(rows))}
		for i, r := range rows {
			if r.Passed {
				rep.Passed++
			}
			if !utf8.ValidString(r.Submission) {
				// encoding/json would replace the bytes with U+FFFD.
				r.SubmissionBytes = []byte(r.Submission)
				r.Submission = escape.String(r.Submission)
			}
			rep.Results[i] = r
		}
		data, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		if err := writeAtomic(a.jsonFile, append(data, '\n')); err != nil {
			return err
		}
	}
	if a.csvFile != "" {
		var b bytes.Buffer
		cw := csv.NewWriter(&b)
		// The header and the status are the JSON's names, the same in
		// every language, so a gradebook script reads either file; the
		// sentences are in the chosen language. Control characters are
		// escaped, since a CSV file is often printed as it is.
		_ = cw.Write([]string{"submission", "status", "first_difference", "hint_text", "duration_ms", "stderr_tail", "build_output"})
		for _, r := range rows {
			tail := make([]string, len(r.StderrTail))
			for i, l := range r.StderrTail {
				tail[i] = escape.String(l)
			}
			cells := []string{escape.String(r.Submission), r.Status, r.FirstDifference, strings.Join(r.HintText, " "),
				strconv.FormatInt(r.DurationMS, 10), strings.Join(tail, "\n"), strings.Join(r.BuildOutput, "\n")}
			for i := range cells {
				cells[i] = csvCell(cells[i])
			}
			_ = cw.Write(cells)
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		if err := writeAtomic(a.csvFile, b.Bytes()); err != nil {
			return err
		}
	}
	if a.junit != "" {
		return writeJUnit(a, cat, rows)
	}
	return nil
}

// csvCell defuses formula injection: a spreadsheet runs a cell that starts
// with =, +, -, @, a tab or a carriage return as a formula
// (=HYPERLINK(...) in a submission's name or its error output). Such a cell
// is prefixed with an apostrophe, OWASP's rule ("CSV Injection"), which
// spreadsheets show as text and do not display.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// writeAtomic writes a temporary file beside path, then renames it over
// path: the rename is atomic within one file system.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return &errExport{path, err}
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op once renamed
	if _, err := f.Write(data); err != nil {
		f.Close()
		return &errExport{path, err}
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return &errExport{path, err}
	}
	if err := f.Close(); err != nil {
		return &errExport{path, err}
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return &errExport{path, err}
	}
	if err := os.Rename(tmp, path); err != nil {
		return &errExport{path, err}
	}
	return nil
}
