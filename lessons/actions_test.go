package lessons_test

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line    string
		wantErr string // "" for valid; else a piece of the message
	}{
		{"socket rx udp", ""},
		{"socket srv tcp family=6 by=peer", ""},
		{"bind rx", ""},
		{"bind rx addr=127.0.0.1:7788 port=0 expect=EADDRNOTAVAIL", ""},
		{"listen srv backlog=5", ""},
		{"accept srv as=conn", ""},
		{"connect c to=srv ask=yes expect=ECONNREFUSED", ""},
		{`send c text="hi there" ask=yes`, ""},
		{"recv conn size=10", ""},
		{`sendto tx to=rx text="a|b" ask=yes repeat=yes`, ""},
		{"recvfrom rx size=1024", ""},
		{"close c", ""},
		{"shutdown c how=rdwr", ""},
		{"inspect a b c d", ""},
		{"addrs", ""},

		{"fly rx", `unknown step "fly"`},
		{"socket", "needs its name"},
		{"socket rx", "needs its proto"},
		{"socket rx sctp", `proto="sctp", but it must be one of udp, tcp`},
		{"socket rx udp extra", "takes 2 word(s)"},
		{"socket rx udp family=5", "must be one of 4, 6"},
		{"socket rx udp by=me", "must be one of peer"},
		{"bind rx colour=red", `has no argument "colour"`},
		{"bind", "needs its name"},
		{"accept srv", "needs as=..."},
		{"connect c ask=no", "must be one of yes"},
		{"shutdown c how=both", "must be one of wr, rd, rdwr"},
		{"sendto tx repeat=no", "must be one of yes"},
		{"bind rx expect=EBOGUS", "expect=EBOGUS is not an errno name"},
		{"bind rx expect=eaddrinuse", "not an errno name"},
		{"addrs now", "takes 0 word(s)"},
		{"close a b", "takes 1 word(s)"},
		{"listen srv backlog=0", "backlog=\"0\" must be a whole number from 1 to 1048576"},
		{"recv conn size=lots", "must be a whole number from 1 to 1048576"},
		// An experiment's bounds are its Params' too: lint sees them.
		{"experiment truncation proto=udp size=60001", "size=\"60001\" must be a whole number from 1 to 60000"},
		{"experiment lossy-link proto=tcp loss=51", "from 0 to 50"},
		{"experiment backlog backlog=0", "from 1 to 16"},
		{"experiment concurrency server=both hold=1h", "from 10ms to 10s"},
		{"experiment throughput seconds=0", "from 0.1 to 30"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			t.Parallel()
			err := lessons.Validate(directive(t, tt.line))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Validate: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Errorf("Validate accepted it, want an error with %q", tt.wantErr)
			case tt.wantErr != "" && (!errors.Is(err, lessons.ErrLesson) || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Validate = %v, want ErrLesson with %q", err, tt.wantErr)
			}
		})
	}
}

// Validate also takes directives built in Go, with no Args map.
func TestValidateLiteral(t *testing.T) {
	t.Parallel()
	if err := lessons.Validate(content.Directive{Action: "close", Pos: []string{"c"}}); err != nil {
		t.Errorf("Validate(close c) = %v", err)
	}
	if err := lessons.Validate(content.Directive{}); !errors.Is(err, lessons.ErrLesson) {
		t.Errorf("Validate(empty) = %v", err)
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		steps string
		want  []string // one message piece per error, in order, each with its line
	}{
		{"a whole lesson", `
## create
<!-- step: socket srv tcp -->
<!-- step: bind srv -->
<!-- step: listen srv -->
## peer
<!-- step: socket c tcp by=peer -->
<!-- step: connect c to=srv -->
## accept
<!-- step: accept srv as=conn -->
<!-- step: recv conn -->
<!-- step: inspect srv conn c -->
<!-- step: addrs -->
<!-- step: close conn -->
`, nil},
		{"socket used before creation", `
## one
<!-- step: bind rx -->
<!-- step: socket rx udp -->
`, []string{`test.md:6: socket "rx" is used before`}},
		{"accepted socket used before accept", `
## one
<!-- step: socket srv tcp -->
<!-- step: recv conn -->
<!-- step: accept srv as=conn -->
<!-- step: recv conn -->
`, []string{`test.md:7: socket "conn" is used before`}},
		{"inspect names an unknown socket", `
## one
<!-- step: socket a udp -->
<!-- step: inspect a b -->
`, []string{`test.md:7: socket "b" is used before`}},
		{"every mistake, in order", `
## one
<!-- step: fly away -->
<!-- step: socket rx udp -->
## two
<!-- step: bind rx colour=red -->
<!-- step: close tx -->
`, []string{`test.md:6: unknown step "fly"`, `test.md:9: step "bind" has no argument "colour"`, `test.md:10: socket "tx" is used before`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, err := content.Parse("test.md", []byte("---\nid: t\n---\n"+tt.steps))
			if err != nil {
				t.Fatal(err)
			}
			errs := lessons.Check(l)
			if len(errs) != len(tt.want) {
				t.Fatalf("Check = %v, want %d error(s)", errs, len(tt.want))
			}
			for i, err := range errs {
				var pe *content.ParseError
				if !errors.As(err, &pe) || pe.File != "test.md" || !strings.HasPrefix(err.Error(), tt.want[i]) {
					t.Errorf("error %d = %v, want a ParseError starting %q", i, err, tt.want[i])
				}
			}
		})
	}
}

// Two translations of a step differ only in the words sent: their
// signatures are equal. Anything else makes them differ.
func TestSignature(t *testing.T) {
	t.Parallel()
	sig := func(line string) string { return lessons.Signature(directive(t, line)) }
	same := [][2]string{
		{`send c text="hello"`, `send c text="你好"`},
		{`sendto tx to=rx text="hello, receiver"`, `sendto tx to=rx text="你好，接收方"`},
		{`sendto tx to=rx text="a|b" repeat=yes`, `sendto tx repeat=yes to=rx text="甲|乙|丙"`},
		{`send c text="x"`, `send c`},
		{"bind rx port=1 addr=127.0.0.1:2", "bind rx addr=127.0.0.1:2 port=1"},
	}
	for _, p := range same {
		if a, b := sig(p[0]), sig(p[1]); a != b {
			t.Errorf("Signature(%s) = %q, Signature(%s) = %q; want equal", p[0], a, p[1], b)
		}
	}
	differ := [][2]string{
		{"sendto tx to=rx text=a", "sendto tx to=other text=a"},
		{"send c text=a", "send conn text=a"},
		{"send c text=a", "send c text=a ask=yes"},
		{"bind rx port=1", "bind rx port=2"},
		{"bind rx", "bind rx expect=EADDRINUSE"},
		{"socket rx udp", "socket rx tcp"},
		{"socket rx udp", "socket rx udp by=peer"},
		{"recv conn size=10", "recv conn size=11"},
		{"close a", "shutdown a"},
		{"fly a", "fly b"},
	}
	for _, p := range differ {
		if a, b := sig(p[0]), sig(p[1]); a == b {
			t.Errorf("Signature(%s) = Signature(%s) = %q; want different", p[0], p[1], a)
		}
	}
	if got := sig(`sendto tx to=rx text="hello" repeat=yes`); got != "sendto tx repeat=yes to=rx" {
		t.Errorf("Signature = %q", got)
	}
}

func TestSpecs(t *testing.T) {
	t.Parallel()
	specs := lessons.Specs()
	var names []string
	for _, sp := range specs {
		names = append(names, sp.Action)
	}
	// The list is the directives table itself: sorted, each once, and
	// documented in both languages (what `sockstep steps` prints).
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) || len(names) == 0 {
		t.Errorf("Specs() = %q: want every directive once, sorted by name", names)
	}
	for _, lang := range content.Langs {
		for _, n := range names {
			if !content.Text(lang).Has("step.doc." + n) {
				t.Errorf("%s: directive %s has no step.doc.%s", lang, n, n)
			}
		}
	}
	for _, sp := range specs {
		if got, ok := lessons.Lookup(sp.Action); !ok || got != sp {
			t.Errorf("Lookup(%q) = %v, %v", sp.Action, got, ok)
		}
		// The example in `sockstep steps` is itself a valid directive.
		d := directive(t, sp.Example)
		if d.Action != sp.Action {
			t.Errorf("example of %s is a %s step: %q", sp.Action, d.Action, sp.Example)
		}
		if err := lessons.Validate(d); err != nil {
			t.Errorf("example of %s: %v", sp.Action, err)
		}
		seen := map[string]bool{}
		for _, p := range sp.Params {
			if seen[p.Name] || p.Name == "" || p.Name == "expect" {
				t.Errorf("%s: parameter %q is empty, repeated or shadows expect", sp.Action, p.Name)
			}
			seen[p.Name] = true
		}
	}
	if _, ok := lessons.Lookup("fly"); ok {
		t.Error("Lookup(fly) found a spec")
	}
}

// Every default a Spec writes is a value its own checks accept, and every
// experiment's example is valid: a default is written once, and right.
func TestSpecDefaults(t *testing.T) {
	t.Parallel()
	for _, group := range [][]*lessons.Spec{lessons.Specs(), lessons.Experiments()} {
		for _, sp := range group {
			for _, p := range sp.Params {
				if p.Default == "" {
					continue
				}
				if len(p.Values) > 0 && !slices.Contains(p.Values, p.Default) {
					t.Errorf("%s %s: default %q is not one of %q", sp.Action, p.Name, p.Default, p.Values)
				}
				if p.Max > 0 {
					if n, err := strconv.Atoi(p.Default); err != nil || n < p.Min || n > p.Max {
						t.Errorf("%s %s: default %q is outside %d..%d", sp.Action, p.Name, p.Default, p.Min, p.Max)
					}
				}
				if p.Required {
					t.Errorf("%s %s: required, so its default is never used", sp.Action, p.Name)
				}
			}
		}
	}
	for _, sp := range lessons.Experiments() {
		if err := lessons.Validate(directive(t, sp.Example)); err != nil {
			t.Errorf("example of experiment %s: %v", sp.Action, err)
		}
	}
}

// Where the words of `sockstep steps` name a default ("backlog (default
// 128)", "默认 1400"), it is the Spec's: the prose follows Param.Default.
func TestDocDefaultsFollowSpecs(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(`(?:default|默认)\s*(\d[\w.]*)`)
	for _, group := range []struct {
		prefix string
		specs  []*lessons.Spec
	}{{"step.doc.", lessons.Specs()}, {"experiment.doc.", lessons.Experiments()}} {
		for _, sp := range group.specs {
			var defaults []string
			for _, p := range sp.Params {
				defaults = append(defaults, p.Default)
			}
			for _, lang := range content.Langs {
				doc := content.Text(lang).T(group.prefix + sp.Action)
				for _, m := range re.FindAllStringSubmatch(doc, -1) {
					if !slices.Contains(defaults, m[1]) {
						t.Errorf("%s %s%s says default %s; the Spec's defaults are %q", lang, group.prefix, sp.Action, m[1], defaults)
					}
				}
			}
		}
	}
}

// The built-in lessons are valid, and their translations run the same
// steps: same ids, same number of steps, same signatures step by step.
func TestBuiltinLessons(t *testing.T) {
	t.Parallel()
	byLang := map[content.Lang]map[string]*content.Lesson{}
	for _, lang := range content.Langs {
		ls, err := content.Builtin(lang, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(ls) == 0 {
			t.Fatalf("no built-in lessons in %s", lang)
		}
		byLang[lang] = map[string]*content.Lesson{}
		for _, l := range ls {
			byLang[lang][l.ID] = l
			for _, err := range lessons.Check(l) {
				t.Errorf("%s: %v", lang, err)
			}
		}
	}
	zh, en := byLang[content.Chinese], byLang[content.English]
	for id, lz := range zh {
		le, ok := en[id]
		if !ok {
			t.Errorf("lesson %s exists in zh only", id)
			continue
		}
		if len(lz.Steps) != len(le.Steps) || lz.Kind != le.Kind || lz.Order != le.Order {
			t.Errorf("lesson %s: zh has %d steps (%s, order %d), en %d (%s, order %d)",
				id, len(lz.Steps), lz.Kind, lz.Order, len(le.Steps), le.Kind, le.Order)
			continue
		}
		for i := range lz.Steps {
			a, b := signatures(lz.Steps[i]), signatures(le.Steps[i])
			if !slices.Equal(a, b) {
				t.Errorf("lesson %s step %d: zh runs %q (line %d), en runs %q (line %d)",
					id, i+1, a, lz.Steps[i].Line, b, le.Steps[i].Line)
			}
		}
	}
	for id := range en {
		if _, ok := zh[id]; !ok {
			t.Errorf("lesson %s exists in en only", id)
		}
	}
}

func signatures(st content.Step) []string {
	out := []string{}
	for _, d := range st.Directives {
		out = append(out, lessons.Signature(d))
	}
	return out
}
