package verify

import (
	"bytes"
	"debug/elf"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Languages whose advice the catalog has: a hint key with the language as
// a last part (verify.hint.byte_order.c) says it in that language's
// terms; without one, the neutral wording is used.
const (
	langPython = "python"
	langC      = "c"
	langGo     = "go"
	langNode   = "node"
	langJava   = "java"
)

// programLanguage guesses the language of the program from its command:
// the interpreter or tool (python3, node, go run, java), a source file's
// extension among the arguments, or, for a compiled program, a Go
// binary's build information or a C source of the same name beside it.
// "" when it cannot tell: the advice is then neutral.
func programLanguage(argv []string, dir string) string {
	if len(argv) == 0 {
		return ""
	}
	base := strings.ToLower(filepath.Base(argv[0]))
	switch {
	case strings.HasPrefix(base, "python"), base == "py", base == "pypy3":
		return langPython
	case base == "node", base == "nodejs", base == "bun", base == "deno":
		return langNode
	case base == "go":
		return langGo
	case base == "java", base == "javac", base == "jshell":
		return langJava
	}
	for _, a := range argv {
		switch strings.ToLower(filepath.Ext(a)) {
		case ".py":
			return langPython
		case ".js", ".mjs", ".cjs":
			return langNode
		case ".go":
			return langGo
		case ".java", ".jar":
			return langJava
		case ".c":
			return langC
		}
	}
	path := argv[0]
	if !filepath.IsAbs(path) && dir != "" {
		path = filepath.Join(dir, path)
	}
	if f, err := elf.Open(path); err == nil {
		isGo := f.Section(".go.buildinfo") != nil
		f.Close()
		if isGo {
			return langGo
		}
		src := strings.TrimSuffix(path, filepath.Ext(path)) + ".c"
		if _, err := os.Stat(src); err == nil {
			return langC
		}
	}
	return ""
}

// maxSource bounds how much of a program's source verify reads.
const maxSource = 256 << 10

// programSource is the text of the first source file among the arguments
// ("" when there is none or it cannot be read), read to recognise a
// mistake that leaves no trace on the network.
func programSource(argv []string, dir string) string {
	for _, a := range argv[min(1, len(argv)):] {
		switch strings.ToLower(filepath.Ext(a)) {
		case ".py", ".js", ".mjs", ".cjs", ".go", ".c", ".java":
		default:
			continue
		}
		path := a
		if !filepath.IsAbs(path) && dir != "" {
			path = filepath.Join(dir, path)
		}
		f, err := os.Open(path)
		if err != nil {
			return ""
		}
		defer f.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(io.LimitReader(f, maxSource))
		return b.String()
	}
	return ""
}
