package content

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// verbRE matches one fmt verb: flags, an optional explicit argument index,
// width, precision, and the verb letter (or %%).
var verbRE = regexp.MustCompile(`%[-+# 0]*(?:\[(\d+)\])?(?:\d+|\*)?(?:\.(?:\d+|\*)?)?([a-zA-Z%])`)

// verbs lists the verbs of a format string in the order of the arguments
// they format, so that a translation may reorder its words with explicit
// indexes (%[2]s ... %[1]s) but must format each argument the same way.
func verbs(format string) []string {
	type use struct {
		arg  int
		verb string
	}
	var uses []use
	next := 1
	for _, m := range verbRE.FindAllStringSubmatch(format, -1) {
		if m[2] == "%" {
			continue
		}
		arg := next
		if m[1] != "" {
			arg, _ = strconv.Atoi(m[1])
		}
		next = arg + 1
		uses = append(uses, use{arg, m[2]})
	}
	sort.SliceStable(uses, func(i, j int) bool { return uses[i].arg < uses[j].arg })
	out := make([]string, len(uses))
	for i, u := range uses {
		out[i] = fmt.Sprintf("arg %d: %%%s", u.arg, u.verb)
	}
	return out
}

func TestVerbs(t *testing.T) {
	t.Parallel()
	tests := map[string][]string{
		"plain":                  {},
		"100%% sure":             {},
		"%d of %d · %s":          {"arg 1: %d", "arg 2: %d", "arg 3: %s"},
		"  interface %-10s %s":   {"arg 1: %s", "arg 2: %s"},
		"%s, for `x %[1]s y`":    {"arg 1: %s", "arg 1: %s"},
		"%[2]s 在 %[1]d 之前":       {"arg 1: %d", "arg 2: %s"},
		"%d before %s":           {"arg 1: %d", "arg 2: %s"},
		"%v (%q)":                {"arg 1: %v", "arg 2: %q"},
		"%.2f%%":                 {"arg 1: %f"},
		"等待读取：%d 字节":             {"arg 1: %d"},
		"connection %s ↔ %s: %s": {"arg 1: %s", "arg 2: %s", "arg 3: %s"},
	}
	for in, want := range tests {
		if got := verbs(in); !slices.Equal(got, want) {
			t.Errorf("verbs(%q) = %q, want %q", in, got, want)
		}
	}
}

// readMessageFiles reads content/text/LANG/*.json as they are embedded.
func readMessageFiles(t *testing.T, lang Lang) map[string]map[string]string {
	t.Helper()
	names, err := fs.Glob(files, path.Join("text", string(lang), "*.json"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no message files for %s: %v", lang, err)
	}
	out := map[string]map[string]string{}
	for _, name := range names {
		data, err := fs.ReadFile(files, name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[path.Base(name)] = m
	}
	return out
}

// Every message exists in both languages, in the file of the same name,
// and formats the same arguments with the same verbs.
func TestCatalogParity(t *testing.T) {
	t.Parallel()
	en, zh := readMessageFiles(t, English), readMessageFiles(t, Chinese)
	if a, b := slices.Sorted(maps.Keys(en)), slices.Sorted(maps.Keys(zh)); !slices.Equal(a, b) {
		t.Errorf("message files differ: en %q, zh %q", a, b)
	}
	for file, me := range en {
		mz := zh[file]
		for k, fe := range me {
			fz, ok := mz[k]
			if !ok {
				t.Errorf("text/zh/%s has no %q (en: %q)", file, k, fe)
				continue
			}
			if ve, vz := verbs(fe), verbs(fz); !slices.Equal(ve, vz) {
				t.Errorf("%s %q: en formats %q, zh formats %q\n  en: %q\n  zh: %q", file, k, ve, vz, fe, fz)
			}
			if strings.TrimSpace(fz) == "" {
				t.Errorf("text/zh/%s %q is empty", file, k)
			}
		}
		for k := range mz {
			if _, ok := me[k]; !ok {
				t.Errorf("text/en/%s has no %q (zh: %q)", file, k, mz[k])
			}
		}
	}
}

// Every message with verbs formats cleanly with arguments of the kinds
// its verbs ask for: no %!d(string=...) reaches a learner.
func TestCatalogFormats(t *testing.T) {
	t.Parallel()
	for _, lang := range Langs {
		c := Text(lang)
		for _, k := range c.Keys() {
			raw := c.T(k)
			var args []any
			for _, v := range verbs(raw) {
				var arg int
				fmt.Sscanf(v, "arg %d:", &arg)
				if arg > len(args) {
					switch v[len(v)-1] {
					case 'd', 'x', 'X', 'o', 'b', 'c':
						args = append(args, 7)
					case 'f', 'g', 'e':
						args = append(args, 1.5)
					default:
						args = append(args, "x")
					}
				}
			}
			if len(args) == 0 {
				continue
			}
			if got := c.T(k, args...); strings.Contains(got, "%!") {
				t.Errorf("%s %q formats as %q", lang, k, got)
			}
		}
	}
}

func TestCatalog(t *testing.T) {
	t.Parallel()
	en := Text(English)
	if en.Lang() != English || Text(Chinese).Lang() != Chinese {
		t.Errorf("catalog languages: %q, %q", en.Lang(), Text(Chinese).Lang())
	}
	if Text("fr").Lang() != English {
		t.Error("an unknown language does not fall back to English")
	}
	if got := en.T("no.such.key", 1); got != "«no.such.key»" {
		t.Errorf("missing key = %q", got)
	}
	if en.Has("no.such.key") || !en.Has("call.eof") {
		t.Error("Has is wrong")
	}
	// Without arguments T returns the message as written, verbs and all;
	// with them it formats.
	raw := en.T("call.from")
	if !strings.Contains(raw, "%s") {
		t.Errorf("T without args = %q, want the raw format", raw)
	}
	if got, want := en.T("call.from", "127.0.0.1:7788"), fmt.Sprintf(raw, "127.0.0.1:7788"); got != want || !strings.Contains(got, "127.0.0.1:7788") {
		t.Errorf("T with args = %q, want %q", got, want)
	}
	keys := en.Keys()
	if !sort.StringsAreSorted(keys) || len(keys) == 0 {
		t.Errorf("Keys() not sorted or empty: %d keys", len(keys))
	}
}

func TestLoadCatalogs(t *testing.T) {
	t.Parallel()
	good := fstest.MapFS{
		"text/en/a.json": {Data: []byte(`{"one": "One", "two": "Two %d"}`)},
		"text/en/b.json": {Data: []byte(`{"three": "Three"}`)},
		"text/zh/a.json": {Data: []byte(`{"one": "一"}`)},
	}
	cats, err := loadCatalogs(good)
	if err != nil {
		t.Fatal(err)
	}
	if got := cats[English].Keys(); !slices.Equal(got, []string{"one", "three", "two"}) {
		t.Errorf("merged keys = %q", got)
	}
	if got := cats[Chinese].T("one"); got != "一" {
		t.Errorf("zh one = %q", got)
	}
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"invalid JSON", fstest.MapFS{"text/en/bad.json": {Data: []byte(`{"one": 1}`)}}, "text/en/bad.json is not valid JSON"},
		{"key twice", fstest.MapFS{
			"text/zh/a.json": {Data: []byte(`{"one": "一"}`)},
			"text/zh/b.json": {Data: []byte(`{"one": "壹"}`)},
		}, `message "one" is defined twice for zh (second time in text/zh/b.json)`},
	}
	for _, tt := range tests {
		if _, err := loadCatalogs(tt.fsys); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestParseLang(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"zh", Chinese, true},
		{"en", English, true},
		{"zh_CN.UTF-8", Chinese, true},
		{"zh_TW", Chinese, true},
		{" ZH-hans ", Chinese, true},
		{"en_GB.UTF-8", English, true},
		{"EN", English, true},
		{"fr_FR.UTF-8", "", false},
		{"C", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got, ok := ParseLang(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("ParseLang(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// DetectLang follows POSIX precedence: the first of LC_ALL, LC_MESSAGES,
// LANG that is set decides, even when it names no language we have.
func TestDetectLang(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                 string
		lcAll, lcMsgs, lang_ string
		want                 Lang
	}{
		{"nothing set", "", "", "", English},
		{"LANG zh", "", "", "zh_CN.UTF-8", Chinese},
		{"LANG en", "", "", "en_US.UTF-8", English},
		{"LANG C", "", "", "C", English},
		{"LANG POSIX", "", "", "POSIX", English},
		{"LANG C.UTF-8", "", "", "C.UTF-8", English},
		{"LANG other language", "", "", "fr_FR.UTF-8", English},
		{"LC_MESSAGES over LANG", "", "zh_CN.UTF-8", "en_US.UTF-8", Chinese},
		{"LC_MESSAGES C over LANG zh", "", "C", "zh_CN.UTF-8", English},
		{"LC_ALL over everything", "zh_CN.UTF-8", "en_US.UTF-8", "en_US.UTF-8", Chinese},
		{"LC_ALL C over zh", "C", "zh_CN.UTF-8", "zh_CN.UTF-8", English},
		{"LC_ALL POSIX over zh", "POSIX", "", "zh_TW.UTF-8", English},
		{"empty LC_ALL is unset", "", "", "zh_TW.Big5", Chinese},
	}
	for _, tt := range tests {
		env := map[string]string{"LC_ALL": tt.lcAll, "LC_MESSAGES": tt.lcMsgs, "LANG": tt.lang_, "LANGUAGE": "en"}
		if got := DetectLang(func(k string) string { return env[k] }); got != tt.want {
			t.Errorf("%s: DetectLang = %q, want %q", tt.name, got, tt.want)
		}
	}
	if len(Langs) != 2 || Langs[0] != Chinese {
		t.Errorf("Langs = %q, want Chinese first", Langs)
	}
}
