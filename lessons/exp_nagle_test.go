package lessons

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
)

// Write-write-read with Nagle's algorithm on waits for a delayed ACK in
// rounds where TCP_NODELAY does not: over the same rounds the Nagle run
// is clearly slower (the relation, not a fixed time, is asserted). Each
// request is two data segments either way; TCP_CORK and one write make
// it one.
func TestNagleDelaysSmallWrites(t *testing.T) {
	runs := map[string]nagleRun{}
	for _, how := range []string{"nagle", "nodelay", "cork", "one"} {
		withLab(t, func(l *lab) {
			r, err := l.nagleRounds(context.Background(), how, 20)
			if err != nil {
				t.Fatal(err)
			}
			if r.Err != nil {
				t.Fatalf("%s: %v", how, r.Err)
			}
			if len(r.Rounds) != 20 {
				t.Fatalf("%s: %d rounds of 20", how, len(r.Rounds))
			}
			runs[how] = r
			t.Logf("%s: median %s ms, total %s ms, %s data segments per round, server ato %s ms", how, ms(r.Median()), ms(r.Total()), r.PerRound(), ms(r.ATO))
		})
	}
	if n, d := runs["nagle"].Total(), runs["nodelay"].Total(); n < 4*d {
		t.Errorf("20 rounds took %s ms with Nagle and %s ms with TCP_NODELAY; want Nagle clearly slower", ms(n), ms(d))
	}
	if runtime.GOOS != "linux" {
		return
	}
	for how, want := range map[string]string{"nagle": "2.0", "nodelay": "2.0", "cork": "1.0", "one": "1.0"} {
		if got := runs[how].PerRound(); got != want {
			t.Errorf("%s: %s data segments per request; want %s", how, got, want)
		}
	}
}

// Ctrl-C in the middle of the Nagle rounds ends them at once; the server
// goroutine ends with them and every socket is closed (withLab counts).
func TestNagleCancel(t *testing.T) {
	withLab(t, func(l *lab) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		before := runtime.NumGoroutine()
		if _, err := l.nagleRounds(ctx, "nagle", 200); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled rounds returned %v", err)
		}
		// The timer's own goroutine (cancel) may still be on its way out.
		after := runtime.NumGoroutine()
		for deadline := time.Now().Add(time.Second); after > before && time.Now().Before(deadline); after = runtime.NumGoroutine() {
			time.Sleep(10 * time.Millisecond)
		}
		if after > before {
			t.Errorf("goroutines: %d before, %d after", before, after)
		}
	})
}
