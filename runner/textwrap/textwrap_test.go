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

// A list item's or a shown call's further lines hang under its text; a
// Chinese line breaks between characters, never before "，".
func TestLine(t *testing.T) {
	for _, c := range []struct {
		line  string
		width int
		want  []string
	}{
		{"  • one two three four", 12, []string{"  • one two", "    three", "    four"}},
		{"  ▶ [you] sendto(5, \"x\") = 15   # stranger", 24, []string{"  ▶ [you] sendto(5, \"x\")", "    = 15   # stranger"}},
		{"  ✓ [你] send(9) → ECONNREFUSED （正是本课预期的结果）", 30, []string{"  ✓ [你] send(9) →", "    ECONNREFUSED （正是本课预", "    期的结果）"}},
		{"  一二三四五六七八，九十", 20, []string{"  一二三四五六七八，", "  九十"}},
		{"（可用的键：id、title、summary、order、kind、role、pair）。", 30, []string{"（可用的键：id、title、", "summary、order、kind、role、", "pair）。"}},
		// A code span's colour inside a word does not open a break: the
		// line broke between "(" and the code.
		{"  the server asks the kernel for its own address (\x1b[36mgetsockname\x1b[0m) and", 52,
			[]string{"  the server asks the kernel for its own address", "  (\x1b[36mgetsockname\x1b[0m) and"}},
		// Nor after a full-width opening bracket ("（" / "SO_BINDTODEVICE）").
		{"  绑定到回环设备上（\x1b[36mSO_BINDTODEVICE\x1b[0m），这样", 24,
			[]string{"  绑定到回环设备上", "  （\x1b[36mSO_BINDTODEVICE\x1b[0m），", "  这样"}},
		// A mark in brackets is not broken (it was "[窗口更" / "新]").
		{"  ACK Seq=1 Ack=14 Win=65536 Len=0 [窗口更新]", 40, []string{"  ACK Seq=1 Ack=14 Win=65536 Len=0", "  [窗口更新]"}},
		{"  ▶ [你] 一二三四五六七八九十", 12, []string{"  ▶ [你] 一", "    二三四五", "    六七八九", "    十"}},
	} {
		got := Line(c.line, c.width)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("Line(%q, %d) =\n%s\nwant\n%s", c.line, c.width, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
	}
}

// TestHang: further lines are indented by the given columns; no word is
// cut, and a no-break space keeps "+40.2 ms" together.
func TestHang(t *testing.T) {
	line := "  127.0.0.1:39810 → 127.0.0.1:63042  SYN Seq=0 Win=65495 Len=0 ISN=1018059584 MSS=65495 +40.2\u00a0ms"
	got := Hang(line, 60, 6)
	want := []string{
		"  127.0.0.1:39810 → 127.0.0.1:63042  SYN Seq=0 Win=65495",
		"      Len=0 ISN=1018059584 MSS=65495 +40.2\u00a0ms",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Hang =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := Hang("short", 60, 6); len(got) != 1 || got[0] != "short" {
		t.Errorf("a short line: %q", got)
	}
}
