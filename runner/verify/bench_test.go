package verify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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
		if err := os.Symlink(src, filepath.Join(dir, fmt.Sprintf("student%02d", i))); err != nil {
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
	var graded int
	start := time.Now()
	for b.Loop() {
		rows := gradeAll(context.Background(), a, slices.Clone(subs), dir, newProgress(discard{}, cat, len(subs)), cat)
		graded += len(rows)
	}
	b.ReportMetric(float64(graded)/time.Since(start).Seconds(), "submissions/s")
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
