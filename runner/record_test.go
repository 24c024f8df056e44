//go:build !windows

package runner

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/lessons/sockettest"
)

// volatile are the parts of a transcript that change from run to run:
// descriptors, ports, and what depends on the timing of a loopback ACK.
var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\b(fd|socket|bind|listen|accept|connect|send|recv|sendto|recvfrom|close|shutdown)\((\d+)`), "$1(N"},
	{regexp.MustCompile(`fd \d+`), "fd N"},
	{regexp.MustCompile(`(127\.0\.0\.1|0\.0\.0\.0):\d+`), "$1:PORT"},
	{regexp.MustCompile(`(send queue \(unsent \+ unacknowledged\)|发送队列（未发出 \+ 未确认）)：?:? ?\d+`), "$1 N"},
	// Bytes not sent yet (SIOCOUTQNSD) show only while Nagle or the
	// window holds them back, which depends on timing.
	{regexp.MustCompile(`(?m)^\s*(never sent yet: |其中还从未发出：)\d+ (B|字节)\n`), ""},
	{regexp.MustCompile(`(?m)^\s*◀?─+ ACK ─+▶?\n`), ""},
	// A timeline cell cut to its column ends where the numbers before it
	// put the cut: keep only that it was cut.
	{regexp.MustCompile(`\S*…`), "…"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d UTC`), "DATE"},
	{regexp.MustCompile(`[ \t]+`), " "},
}

// normalize replaces volatile values, the session's port first (it also
// appears in hints such as "the program using port N").
func normalize(s string, port int) string {
	s = strings.ReplaceAll(s, strconv.Itoa(port), "PORT")
	for _, v := range volatile {
		s = v.re.ReplaceAllString(s, v.with)
	}
	return s
}

// twoDigitFDs takes every free descriptor below 20 until the test ends,
// so that the lesson's sockets are numbered 20 and up. A timeline cell
// shortens its call to fit "→ fd 9" or "→ fd 12": with one-digit and
// two-digit numbers mixed as other tests left them, the golden file's
// layout would depend on the tests run before.
func twoDigitFDs(t *testing.T) {
	t.Helper()
	var held []*os.File
	t.Cleanup(func() {
		for _, f := range held {
			f.Close()
		}
	})
	for {
		f, err := os.Open(os.DevNull)
		if err != nil {
			t.Fatal(err)
		}
		if f.Fd() >= 20 {
			f.Close()
			return
		}
		held = append(held, f)
	}
}

// TestRecordGolden: the Markdown transcript of a plain run matches the
// golden file once volatile values are normalised.
func TestRecordGolden(t *testing.T) {
	for _, c := range []struct {
		lang content.Lang
		id   string
	}{{content.English, "udp-recv"}, {content.English, "tcp-server"}, {content.Chinese, "tcp-server"}} {
		t.Run(string(c.lang)+"/"+c.id, func(t *testing.T) {
			twoDigitFDs(t)
			var out, rec bytes.Buffer
			port := sockettest.FreePort(t)
			r, err := New(Options{Lang: c.lang, Out: &out, Width: 80, Record: &rec,
				Session: lessons.Config{Port: port}, StepWait: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Run(context.Background(), lesson(t, c.lang, c.id)); err != nil {
				t.Fatalf("%v\n%s", err, tail(out.String(), 2000))
			}
			if strings.Contains(rec.String(), "\x1b") {
				t.Error("the transcript holds escape sequences")
			}
			golden(t, filepath.Join("testdata", "record", string(c.lang), c.id+".golden.md"), normalize(rec.String(), port))
		})
	}
}

// TestRecordInterrupted: a transcript of a run stopped by Ctrl-C has its
// header, and says where the session was interrupted.
func TestRecordInterrupted(t *testing.T) {
	for _, lang := range content.Langs {
		var out, rec bytes.Buffer
		r, err := New(Options{Lang: lang, Out: &out, Width: 60, Record: &rec, CommandLine: []string{"sockstep", "run", "udp-recv", "--record", "a b.md"},
			Session: lessons.Config{Port: sockettest.FreePort(t)}, StepWait: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := r.Run(ctx, lesson(t, lang, "udp-recv")); !errors.Is(err, ErrInterrupted) {
			t.Fatalf("Run = %v, want ErrInterrupted", err)
		}
		cat := content.Text(lang)
		s := rec.String()
		for _, want := range []string{"udp-recv", string(lang), "`sockstep run udp-recv --record 'a b.md'`", "100", cat.T("record.interrupted")} {
			if !strings.Contains(s, want) {
				t.Errorf("%s: the transcript lacks %q:\n%s", lang, want, s)
			}
		}
	}
}

// TestStartStep: --step runs the earlier steps silently, so the sockets
// they made exist, and pauses first on the chosen one.
func TestStartStep(t *testing.T) {
	var out bytes.Buffer
	r, err := New(Options{Lang: content.English, Out: &out, Width: 80, StartStep: 4,
		Session: lessons.Config{Port: sockettest.FreePort(t)}, StepWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Run(context.Background(), lesson(t, content.English, "udp-recv")); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if strings.Contains(s, "Step 1 of 6") || strings.Contains(s, "Step 4 of 6") {
		t.Error("steps before the start point were shown")
	}
	if !strings.Contains(s, "Step 5 of 6") || !strings.Contains(s, "recvfrom(") || !strings.Contains(s, `"hello, receiver"`) {
		t.Errorf("the lesson did not go on from step 5 with the earlier sockets in place:\n%s", tail(s, 1500))
	}
}
