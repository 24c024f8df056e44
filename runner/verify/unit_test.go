package verify

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner/verify/proc"
)

func TestParseArgs(t *testing.T) {
	tests := []struct {
		args    []string
		want    cmdArgs
		wantErr string
	}{
		{args: []string{"udp-send", "--", "python3", "a.py"},
			want: cmdArgs{exercise: "udp-send", timeout: DefaultTimeout, command: []string{"python3", "a.py"}, dashdash: true}},
		{args: []string{"--timeout=2s", "tcp-server", "--json", "r.json", "--", "./srv", "--verbose"},
			want: cmdArgs{exercise: "tcp-server", timeout: 2 * time.Second, jsonFile: "r.json", command: []string{"./srv", "--verbose"}, dashdash: true}},
		{args: []string{"udp-recv", "--timeout", "1.5", "--batch", "subs", "-j", "3", "--csv", "r.csv"},
			want: cmdArgs{exercise: "udp-recv", timeout: 1500 * time.Millisecond, batchDir: "subs", jobs: 3, csvFile: "r.csv"}},
		{args: []string{"udp-send", "extra", "--", "x"}, wantErr: "verify.usage.extra_arg"},
		{args: []string{"udp-send", "--timeout", "-1s", "--", "x"}, wantErr: "verify.usage.bad_timeout"},
		{args: []string{"udp-send", "-x", "--", "x"}, wantErr: "verify.usage.unknown_flag"},
		{args: []string{"--", "x"}, wantErr: "verify.usage.no_exercise"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			got, err := parseArgs(tt.args)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("error %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.want.jobs == 0 {
				tt.want.jobs = got.jobs // NumCPU, whatever it is here
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(cmdArgs{})); diff != "" {
				t.Errorf("parseArgs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name      string
		want, got Facts
		diffs     []Difference
	}{
		{"equal", Facts{Datagrams: []string{"a"}, Exit: exitOK}, Facts{Datagrams: []string{"a"}, Exit: exitOK}, nil},
		{"nil and empty are equal", Facts{}, Facts{Datagrams: []string{}}, nil},
		{"changed datagram is one difference",
			Facts{Datagrams: []string{"a", "b", "c"}}, Facts{Datagrams: []string{"a", "b\n", "c"}},
			[]Difference{{Label: "verify.label.datagram", Index: 2, Want: "b", Got: "b\n"}}},
		{"nothing received lists each one",
			Facts{Datagrams: []string{"a", "b"}}, Facts{},
			[]Difference{{Label: "verify.label.datagram", Index: 1, Want: "a"}, {Label: "verify.label.datagram", Index: 2, Want: "b"}}},
		{"an extra line",
			Facts{Stdout: []string{"x"}}, Facts{Stdout: []string{"x", "y"}},
			[]Difference{{Label: "verify.label.stdout_line", Index: 2, Got: "y"}}},
		{"connection field",
			Facts{Conns: []ConnFacts{{FromProgram: "hi", Closed: true}}}, Facts{Conns: []ConnFacts{{FromProgram: "hi", Closed: false}}},
			[]Difference{{Label: "verify.label.conn_closed", Index: 1, Want: true, Got: false}}},
		{"connections are compared by position, not by likeness",
			Facts{Conns: []ConnFacts{{FromProgram: "hello", Closed: true}, {FromProgram: "abc", Closed: true}, {FromProgram: "", Closed: true}}}, Facts{Conns: []ConnFacts{{FromProgram: "", Closed: true}}},
			[]Difference{{Label: "verify.label.conn_data", Index: 1, Want: "hello", Got: ""},
				{Label: "verify.label.conn", Index: 2, Want: ConnFacts{FromProgram: "abc", Closed: true}},
				{Label: "verify.label.conn", Index: 3, Want: ConnFacts{FromProgram: "", Closed: true}}}},
		{"all connections missing",
			Facts{Conns: []ConnFacts{{FromProgram: "a", Closed: true}, {FromProgram: "b", Closed: true}}}, Facts{},
			[]Difference{{Label: "verify.label.conn", Index: 1, Want: ConnFacts{FromProgram: "a", Closed: true}}, {Label: "verify.label.conn", Index: 2, Want: ConnFacts{FromProgram: "b", Closed: true}}}},
		{"file field",
			Facts{File: &FileFacts{Prefix: "p", Length: 3}}, Facts{File: &FileFacts{Prefix: "p", Length: 2}},
			[]Difference{{Label: "verify.label.body_length", Want: 3, Got: 2}}},
		{"exit", Facts{Exit: exitOK}, Facts{Exit: exitTimeout},
			[]Difference{{Label: "verify.label.exit", Want: exitOK, Got: exitTimeout}}},
		{"threads", Facts{Threads: threadsSteady}, Facts{Threads: threadsPerClient},
			[]Difference{{Label: "verify.label.threads", Want: threadsSteady, Got: threadsPerClient}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.diffs, compare(tt.want, tt.got)); diff != "" {
				t.Errorf("compare (-want +got):\n%s", diff)
			}
		})
	}
}

// How a server's threads followed its clients is said in the learner's
// language, never as verify's own words ("steady").
func TestThreadsShown(t *testing.T) {
	for _, lang := range content.Langs {
		cat := content.Text(lang)
		for _, v := range []Threads{threadsSteady, threadsPerClient} {
			got := showValue(cat, v)
			if strings.Contains(got, string(v)) || strings.Contains(got, "«") {
				t.Errorf("%s: %q shown as %q", lang, v, got)
			}
		}
		if showValue(cat, threadsSteady) != cat.T("verify.value.threads_steady", len(pollClients)) {
			t.Errorf("%s: steady is not the catalog's sentence", lang)
		}
	}
}

func TestLines(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"one\n", []string{"one"}},
		{"one", []string{"one"}},
		{"a\nb\n", []string{"a", "b"}},
		{"a\r\n", []string{"a\r"}},
		{"\n", []string{""}},
	}
	for _, tt := range tests {
		if got := lines([]byte(tt.in)); !slices.Equal(got, tt.want) {
			t.Errorf("lines(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	tests := []struct {
		s     string
		width int
	}{
		{"abc", 3}, {"提交", 4}, {"a你b", 4}, {"", 0}, {"，", 2},
	}
	for _, tt := range tests {
		if got := displayWidth(tt.s); got != tt.width {
			t.Errorf("displayWidth(%q) = %d, want %d", tt.s, got, tt.width)
		}
	}
	if got := truncate("你好世界", 5); got != "你好…" {
		t.Errorf("truncate = %q, want 你好…", got)
	}
}

func TestReservePortGivesDistinctFreePorts(t *testing.T) {
	seen := map[int]bool{}
	var releases []func()
	for range 50 {
		p, release, err := reservePort()
		if err != nil {
			t.Fatal(err)
		}
		if seen[p] {
			t.Fatalf("port %d handed out twice", p)
		}
		seen[p] = true
		releases = append(releases, release)
	}
	for _, r := range releases {
		r()
	}
}

func TestQuoteArgs(t *testing.T) {
	got := quoteArgs([]string{"python3", "my file.py", "\x1b[2J"})
	if want := `python3 "my file.py" \x1b[2J`; got != want {
		t.Errorf("quoteArgs = %q, want %q", got, want)
	}
}

// FuzzShowText checks the promise of the report on any bytes a program
// may send: what is shown is valid UTF-8 with no control character.
func FuzzShowText(f *testing.F) {
	for _, s := range []string{"", "hello", "你好\n", "\x1b[31mred\x1b[0m", "\xff\xfe", "\u009b2J", "\u202eevil", strings.Repeat("长", 500)} {
		f.Add(s)
	}
	cat := content.Text(content.Chinese)
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{showText(cat, s), showValue(cat, ConnFacts{FromProgram: s}), truncate(showText(cat, s), 40)} {
			if !utf8.ValidString(out) {
				t.Fatalf("%q shown as invalid UTF-8 %q", s, out)
			}
			for _, r := range out {
				if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
					t.Fatalf("%q shown with control character %U: %q", s, r, out)
				}
			}
		}
	})
}

func TestPrintsBytes(t *testing.T) {
	for _, tt := range []struct {
		out  string
		want bool
	}{
		{"127.0.0.1:4000 b'\\xe4\\xbd\\xa0'", true},
		{`127.0.0.1:4000 b"hi"`, true},
		{"127.0.0.1:4000 [228 189 160 229 165 189]", true},
		{"<Buffer e4 bd a0>", true},
		{"[B@1b6d3586", true},
		{"127.0.0.1:4000 你好", false},
		{"127.0.0.1:4000 [1 2]", false}, // two numbers in brackets may be text
		{"web'site", false},
	} {
		if got := printsBytes(tt.out); got != tt.want {
			t.Errorf("printsBytes(%q) = %v, want %v", tt.out, got, tt.want)
		}
	}
}

// A compiler's message is kept up to its caps, escaped, without go
// build's header.
func TestBuildLines(t *testing.T) {
	got := buildLines("# command-line-arguments\n./a.go:3:2: undefined: x\x1b[2J\n\n./a.go:4:2: declared and not used: y\n")
	if want := []string{`./a.go:3:2: undefined: x\x1b[2J`, "./a.go:4:2: declared and not used: y"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("buildLines = %q, want %q", got, want)
	}
	got = buildLines(strings.Repeat("./a.go:1:1: error\n", 100))
	if len(got) != maxBuildLines+1 || got[maxBuildLines] != "…" {
		t.Errorf("100 lines kept as %d, want %d and a mark", len(got), maxBuildLines)
	}
	got = buildLines(strings.Repeat("x", 5000) + "\n" + strings.Repeat("y", 100))
	if n := len(strings.Join(got, "")); n > maxBuildBytes+len("…") || len(got) != 2 || !strings.HasPrefix(got[0], "xxx") {
		t.Errorf("kept %d bytes, more than %d", n, maxBuildBytes)
	}
}

// A program that flooded verify gets the flood's verdict and hint (first
// of the generic ones, after what the exercise's diagnosis names),
// whether verify stopped it or it crashed (a reset, a traceback) or exited
// by itself before that.
func TestFloodComesFirst(t *testing.T) {
	ex := registry["tcp-client"]
	for _, end := range []proc.Result{
		{Stopped: true, Code: -1, Signal: "terminated"},
		{Code: 1},
		{Code: -1, Signal: "killed"},
	} {
		o := &Observation{Host: host, Reached: true, Exit: end, Stdout: []byte(tcpClientReply + "\n"),
			Conns:  []Conn{{Received: []byte(strings.Repeat("A", maxReceived)), Overflowed: true}},
			Stderr: []byte("ConnectionResetError: [Errno 104] Connection reset by peer\n")}
		if got := exitFact(o, false); got != exitFlooded {
			t.Errorf("%+v: exit fact %q, want %q", end, got, exitFlooded)
		}
		hs := diagnose(ex, o, ex.want(o), ex.got(o), time.Second)
		if len(hs) == 0 || hs[0].Key != "verify.hint.flooded" || len(hs) > 1 && strings.HasPrefix(hs[1].Key, "verify.hint.crashed") {
			t.Errorf("%+v: hints %v, want flooded first, and no crash", end, hs)
		}
	}
}
