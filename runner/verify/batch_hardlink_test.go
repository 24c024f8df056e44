//go:build !windows

package verify

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"
)

// A submission that is a hard link, or a Go folder holding one, is
// refused unread, in both languages: root can link any file into the
// folder (ln /etc/shadow hard.py), and a file the user nobody cannot read
// is copied for it, so the file's first line reached the report's error
// output. An ordinary file beside it is still checked. (An ordinary
// user's programs run as that user: hard links are not refused there.)
func TestBatchRefusesHardLinks(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("hard links are refused only when verify runs as root")
	}
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	os.WriteFile(secret, []byte("root:SECRET-HASH:19000:0:99999:7:::\n"), 0o600)
	sub := filepath.Join(dir, "subs")
	must0(t, os.MkdirAll(filepath.Join(sub, "godir", "data"), 0o755))
	copyFile(t, bin("crash"), filepath.Join(sub, "plain"), 0o755)
	must0(t, os.Link(secret, filepath.Join(sub, "hard.py")))
	os.WriteFile(filepath.Join(sub, "godir", "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	must0(t, os.Link(secret, filepath.Join(sub, "godir", "data", "embed.txt")))

	for _, lang := range []content.Lang{content.English, content.Chinese} {
		t.Run(string(lang), func(t *testing.T) {
			out := t.TempDir()
			jsonFile, csvFile := filepath.Join(out, "r.json"), filepath.Join(out, "r.csv")
			var stdout, stderr bytes.Buffer
			Command(context.Background(), []string{"udp-send", "--batch", sub, "--timeout", "1s", "--json", jsonFile, "--csv", csvFile},
				nil, &stdout, &stderr, lang, nil)
			cat := content.Text(lang)
			word := map[content.Lang]string{content.English: "hard link", content.Chinese: "硬链接"}[lang]
			for name, file := range map[string]string{"hard.py": "hard.py", "godir": filepath.Join("godir", "data", "embed.txt")} {
				line := lineWith(stdout.String(), name)
				if !strings.Contains(line, cat.T("verify.status.refused")) || !strings.Contains(line, word) || !strings.Contains(line, file) {
					t.Errorf("%s: the table says %q, want it refused as a hard link (%s)", name, line, file)
				}
			}
			if line := lineWith(stdout.String(), "plain"); !strings.Contains(line, cat.T("verify.status.fail")) {
				t.Errorf("plain: the table says %q, want it checked (fail)", line)
			}
			for _, f := range []string{jsonFile, csvFile} {
				data, _ := os.ReadFile(f)
				if bytes.Contains(data, []byte("SECRET")) {
					t.Errorf("%s holds the linked file's contents", filepath.Base(f))
				}
				if !bytes.Contains(data, []byte(`refused`)) {
					t.Errorf("%s has no row refused:\n%s", filepath.Base(f), data)
				}
			}
			if strings.Contains(stdout.String()+stderr.String(), "SECRET") {
				t.Error("the table shows the linked file's contents")
			}
		})
	}
}
