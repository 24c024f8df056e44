package verify

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/sockstep/sockstep/content"
)

var verbRE = regexp.MustCompile(`%[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)

func readCatalog(t *testing.T, lang content.Lang) map[string]string {
	t.Helper()
	var m map[string]string
	data, err := os.ReadFile(filepath.Join("../../content/text", string(lang), "verify.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("verify.json (%s) is not valid JSON: %v", lang, err)
	}
	return m
}

// Both languages have the same messages with the same verbs in the same
// order, so that no argument lands in the wrong place after translation.
func TestCatalogParity(t *testing.T) {
	en, zh := readCatalog(t, content.English), readCatalog(t, content.Chinese)
	for k, v := range en {
		w, ok := zh[k]
		if !ok {
			t.Errorf("%s is missing in zh", k)
			continue
		}
		if a, b := verbRE.FindAllString(v, -1), verbRE.FindAllString(w, -1); !slices.Equal(a, b) {
			t.Errorf("%s: verbs %v in en, %v in zh", k, a, b)
		}
	}
	for k := range zh {
		if _, ok := en[k]; !ok {
			t.Errorf("%s is missing in en", k)
		}
	}
	for k := range en {
		if !regexp.MustCompile(`^verify\.`).MatchString(k) {
			t.Errorf("key %s lacks the verify. prefix", k)
		}
	}
}

// Every key the code names exists: read from the Go source, so a key added
// in code but not in the catalog fails here rather than showing «key».
func TestCatalogHasEveryKey(t *testing.T) {
	cat := readCatalog(t, content.English)
	files, _ := filepath.Glob("*.go")
	keyRE := regexp.MustCompile(`"(verify\.[a-z_.-]+[a-z_])"|hint\("([a-z_]+)"|badUsage\("([a-z_]+)"`)
	n := 0
	for _, f := range files {
		if regexp.MustCompile(`_test\.go$`).MatchString(f) {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyRE.FindAllStringSubmatch(string(src), -1) {
			key := m[1]
			switch {
			case m[2] != "":
				key = "verify.hint." + m[2]
			case m[3] != "":
				key = "verify.usage." + m[3]
			}
			n++
			if _, ok := cat[key]; !ok {
				t.Errorf("%s names %s, which the catalog lacks", f, key)
			}
		}
	}
	for _, s := range []string{statusPass, statusFail, statusBuildError, statusUnsupported, statusError} {
		if _, ok := cat["verify.status."+s]; !ok {
			t.Errorf("the catalog lacks verify.status.%s", s)
		}
	}
	if n < 50 {
		t.Errorf("found only %d keys in the source; is the pattern still right?", n)
	}
}

// Each exercise verify knows has its text in both languages and a
// reference solution, and the texts name no exercise verify cannot check.
func TestExerciseTexts(t *testing.T) {
	src, err := content.Solution("udp-send")
	if err != nil || !regexp.MustCompile(`package main`).MatchString(src) {
		t.Errorf("Solution(udp-send) = %.40q, %v", src, err)
	}
	for _, lang := range content.Langs {
		texts, err := content.Exercises(lang)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, l := range texts {
			ids = append(ids, l.ID)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, IDs()) {
			t.Errorf("%s exercise texts %v, verify knows %v", lang, ids, IDs())
		}
	}
	for _, id := range IDs() {
		if _, err := content.Solution(id); err != nil {
			t.Errorf("no reference solution for %s: %v", id, err)
		}
	}
}
