package sockettest

import (
	"os"
	"strings"
	"testing"
)

// ReadmeExample is the example lesson of the README's "Writing a lesson"
// section (the first ```markdown block after that heading), as printed
// there, so that tests run what a reader copies.
func ReadmeExample(t testing.TB, readme string) string {
	t.Helper()
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i := strings.Index(s, "## Writing a lesson")
	if i < 0 {
		t.Fatal("README has no Writing a lesson section")
	}
	s = s[i:]
	const fence = "```markdown\n"
	start := strings.Index(s, fence)
	if start < 0 {
		t.Fatal("no markdown example in the section")
	}
	body := s[start+len(fence):]
	end := strings.Index(body, "\n```\n")
	if end < 0 {
		t.Fatal("the markdown example in the section is not closed")
	}
	return body[:end+1]
}
