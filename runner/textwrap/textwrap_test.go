package textwrap

import (
	"os"
	"strings"
	"testing"
)

// BenchmarkLine wraps the paragraphs of a lesson in each language, as
// fitWidth does with glamour's unwrapped output.
func BenchmarkLine(b *testing.B) {
	for _, lang := range []string{"en", "zh"} {
		data, err := os.ReadFile("../../content/lessons/" + lang + "/tcp-server.md")
		if err != nil {
			b.Fatal(err)
		}
		var paras []string
		for p := range strings.SplitSeq(string(data), "\n\n") {
			paras = append(paras, "  "+strings.ReplaceAll(p, "\n", " "))
		}
		b.Run(lang, func(b *testing.B) {
			for b.Loop() {
				for _, p := range paras {
					Line(p, 80)
				}
			}
		})
	}
}
