//go:build !windows

package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sockstep/sockstep/content"
)

func command(t *testing.T, lang content.Lang, args ...string) (code int, stdout, stderr string, passed []string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Command(context.Background(), args, strings.NewReader(""), &out, &errOut, lang,
		func(ex string) { passed = append(passed, ex) })
	return code, out.String(), errOut.String(), passed
}

func TestCommandUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		key  string // catalog key expected on stderr
	}{
		{"nothing", nil, "verify.usage.no_exercise"},
		{"unknown exercise", []string{"udp-sendd", "--", "true"}, "verify.usage.unknown_exercise"},
		{"no command", []string{"udp-send"}, "verify.usage.no_command"},
		{"nothing after --", []string{"udp-send", "--"}, "verify.usage.no_command"},
		{"unknown flag", []string{"udp-send", "--colour", "--", "true"}, "verify.usage.unknown_flag"},
		{"bad timeout", []string{"udp-send", "--timeout", "soon", "--", "true"}, "verify.usage.bad_timeout"},
		{"bad jobs", []string{"udp-send", "-j", "0", "--batch", "."}, "verify.usage.bad_jobs"},
		{"batch and command", []string{"udp-send", "--batch", ".", "--", "true"}, "verify.usage.batch_and_command"},
		{"flag without value", []string{"udp-send", "--json"}, "verify.usage.needs_value"},
	}
	for _, tt := range tests {
		for _, lang := range content.Langs {
			t.Run(tt.name+"/"+string(lang), func(t *testing.T) {
				code, stdout, stderr, _ := command(t, lang, tt.args...)
				if code != ExitUsage {
					t.Errorf("exit status %d, want %d", code, ExitUsage)
				}
				// The message up to its first verb: the format itself, as
				// T returns it when given no arguments.
				first, _, _ := strings.Cut(content.Text(lang).T(tt.key), "%")
				if !strings.Contains(stderr, first) {
					t.Errorf("stderr %q does not hold the message %s", stderr, tt.key)
				}
				if stdout != "" {
					t.Errorf("a usage error wrote to stdout: %q", stdout)
				}
			})
		}
	}
}

func TestCommandHelp(t *testing.T) {
	code, stdout, _, _ := command(t, content.English, "--help")
	if code != ExitPass || !strings.Contains(stdout, "tcp-server-concurrent") {
		t.Errorf("help: status %d, output %q", code, stdout)
	}
}

func TestCommandPassAndFail(t *testing.T) {
	dir := t.TempDir()
	jsonFile := filepath.Join(dir, "result.json")

	code, stdout, _, passed := command(t, content.Chinese, "udp-send", "--json", jsonFile, "--", bin("udp-send"))
	if code != ExitPass || len(passed) != 1 || passed[0] != "udp-send" {
		t.Fatalf("status %d, onPass %v; output:\n%s", code, passed, stdout)
	}
	if !strings.Contains(stdout, "通过") {
		t.Errorf("the Chinese report does not say 通过:\n%s", stdout)
	}
	var rep report
	data, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Exercise != "udp-send" || rep.Passed != 1 || len(rep.Results) != 1 || rep.Results[0].Status != statusPass {
		t.Errorf("JSON report = %+v", rep)
	}

	code, stdout, _, passed = command(t, content.English, "udp-send", "--timeout", "1s", "--", bin("udp-send--newline"))
	if code != ExitFail || len(passed) != 0 {
		t.Errorf("wrong program: status %d, onPass %v", code, passed)
	}
	for _, want := range []string{`"hello\n"`, "datagram 1", "Hint:"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the report lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "\x1b[") {
		t.Error("the report is coloured although stdout is not a terminal")
	}
}

// Whatever a program prints, the report holds no control character that
// could act on the learner's terminal.
func TestReportEscapesHostileOutput(t *testing.T) {
	r := check(t, "tcp-client", []string{bin("flood")}, 300*time.Millisecond)
	var out bytes.Buffer
	for _, lang := range content.Langs {
		writeReport(&out, content.Text(lang), style{}, r)
	}
	for _, b := range out.Bytes() {
		if b < 0x20 && b != '\n' {
			t.Fatalf("the report holds control byte %#x", b)
		}
	}
	if !strings.Contains(out.String(), `\x1b[2J`) {
		t.Error("the escape sequence is not shown escaped")
	}
}
