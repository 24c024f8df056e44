//go:build !windows

package verify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sockstep/sockstep/content"
)

// BenchmarkVerify checks each exercise's prebuilt reference solution and
// reports verify's own cost: the whole check minus the time the program
// ran. The target is well under 50 ms, which is why verify polls for a
// server with short backoff instead of sleeping.
func BenchmarkVerify(b *testing.B) {
	for _, id := range IDs() {
		b.Run(id, func(b *testing.B) {
			var overhead, total []time.Duration
			for b.Loop() {
				r, err := Run(context.Background(), id, []string{bin(id)}, Options{})
				if err != nil || !r.Passed {
					b.Fatalf("the reference solution failed: %v %v", err, hintKeys(r))
				}
				overhead = append(overhead, r.Elapsed-r.Obs.Exit.Runtime)
				total = append(total, r.Elapsed)
			}
			b.ReportMetric(median(overhead), "overhead-ms")
			b.ReportMetric(median(total), "check-ms")
		})
	}
}

func median(ds []time.Duration) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	return float64(s[len(s)/2]) / float64(time.Millisecond)
}

// BenchmarkBatch grades a folder of 60 prebuilt submissions (48 correct,
// 12 wrong) with the default parallelism and reports submissions/second.
func BenchmarkBatch(b *testing.B) {
	dir := b.TempDir()
	for i := range 60 {
		src := bin("udp-send")
		if i%5 == 4 {
			src = bin("udp-send--newline")
		}
		// Copies, not symbolic links: a link out of the folder is refused.
		data, err := os.ReadFile(src)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("student%02d", i)), data, 0o755); err != nil {
			b.Fatal(err)
		}
	}
	a, err := parseArgs([]string{"udp-send", "--batch", dir})
	if err != nil {
		b.Fatal(err)
	}
	subs, err := findSubmissions(dir)
	if err != nil {
		b.Fatal(err)
	}
	cat := content.Text(content.English)
	// The batch's own temporary folder, reachable by nobody as runBatch
	// makes it: each submission is copied there before it runs.
	tmp, err := os.MkdirTemp("", "sockstep-batch-bench-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	os.Chmod(tmp, 0o755)
	var graded int
	start := time.Now()
	for b.Loop() {
		rows := gradeAll(context.Background(), a, slices.Clone(subs), tmp, newProgress(discard{}, cat, len(subs)), cat)
		graded += len(rows)
	}
	b.ReportMetric(float64(graded)/time.Since(start).Seconds(), "submissions/s")
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkFlood checks udp-send against a program that sends 100,000
// empty datagrams as fast as it can, and against one that never stops
// sending (it compares "exit\n" with "exit"), and reports verify's time
// and its peak heap. The figures the issue sets, both checked: time
// within --timeout + 1 s, peak memory within 100 MB.
func BenchmarkFlood(b *testing.B) {
	const timeout = DefaultTimeout
	progs := map[string]func(b *testing.B) []string{
		"100k": func(*testing.B) []string { return []string{bin("udp-flood")} },
		// The interpreter itself, not a version manager's shim, which
		// the unprivileged user verify runs programs as may not reach.
		"until-timeout": func(b *testing.B) []string { return pyProg(b, "udp-send--exit-newline") },
	}
	for _, name := range []string{"100k", "until-timeout"} {
		b.Run(name, func(b *testing.B) {
			argv := progs[name](b)
			var worst time.Duration
			var peak uint64
			var kept, counted, arrived int
			for b.Loop() {
				runtime.GC()
				stop := make(chan struct{})
				done := make(chan uint64)
				go func() {
					var m runtime.MemStats
					var hi uint64
					for {
						runtime.ReadMemStats(&m)
						hi = max(hi, m.HeapInuse+m.StackInuse)
						select {
						case <-stop:
							done <- hi
							return
						case <-time.After(5 * time.Millisecond):
						}
					}
				}()
				start := time.Now()
				r, err := Run(context.Background(), "udp-send", argv, Options{Timeout: timeout})
				el := time.Since(start)
				close(stop)
				peak = max(peak, <-done)
				if err != nil || r.Passed {
					b.Fatalf("the flood passed or failed to run: %v", err)
				}
				worst = max(worst, el)
				kept, counted, arrived = len(r.Diffs), r.DiffCount, len(r.Obs.Datagrams)
			}
			b.ReportMetric(worst.Seconds(), "worst-s")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(arrived), "datagrams")
			b.ReportMetric(float64(counted), "differences")
			b.Logf("timeout %s: worst %.2f s, peak heap %.1f MB, %d datagrams arrived, %d differences (%d kept)",
				timeout, worst.Seconds(), float64(peak)/(1<<20), arrived, counted, kept)
			if arrived == 0 {
				b.Errorf("no datagram arrived: the flood never ran (%s)", strings.Join(argv, " "))
			}
			if peak > 100<<20 {
				b.Errorf("peak heap %.1f MB, more than 100 MB", float64(peak)/(1<<20))
			}
			if worst > timeout+time.Second {
				b.Errorf("verify took %.2f s, more than --timeout %s + 1 s", worst.Seconds(), timeout)
			}
		})
	}
}
