package lessons

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/sockstep/sockstep/content"
	"golang.org/x/sys/unix"
)

// Param describes one argument of a step directive.
type Param struct {
	Name       string
	Positional bool
	Required   bool
	// Text marks wording that each translation writes in its own language
	// (a message to send); it is left out when translations are compared.
	Text bool
	// Values, when set, are the only accepted values.
	Values []string
}

// Spec describes one step directive: its name, arguments and an example.
type Spec struct {
	Action  string
	Params  []Param
	Example string
	run     func(ctx context.Context, s *Session, a args) error
	// preview, when set, writes the code shown before the step runs
	// (experiments, which make many calls, sum them up this way).
	preview func(s *Session, a args) string
	// check, when set, validates what the generic checks cannot (an
	// answer within the number of choices, say).
	check func(a args) error
}

// common parameters every action takes.
var commonParams = []Param{
	{Name: "expect"}, // an errno name the lesson sets out to show
}

var specs = map[string]*Spec{}

func register(sp *Spec) { specs[sp.Action] = sp }

func init() {
	register(&Spec{Action: "socket", Example: "socket rx udp",
		Params: []Param{
			{Name: "name", Positional: true, Required: true},
			{Name: "proto", Positional: true, Required: true, Values: []string{"udp", "tcp"}},
			{Name: "family", Values: []string{"4", "6"}},
			{Name: "by", Values: []string{"peer"}},
		},
		run: func(ctx context.Context, s *Session, a args) error {
			fam := familyOf(s.cfg.Host)
			switch a.get("family") {
			case "4":
				fam = unix.AF_INET
			case "6":
				fam = unix.AF_INET6
			}
			return s.newSocket(ctx, a.get("name"), Proto(a.get("proto")), fam, a.get("by") == "peer")
		}})
	register(&Spec{Action: "bind", Example: "bind rx port=7788",
		Params: []Param{
			{Name: "name", Positional: true, Required: true},
			{Name: "addr"}, {Name: "port"},
		},
		run: func(ctx context.Context, s *Session, a args) error {
			addr, err := s.bindAddr(a)
			if err != nil {
				return err
			}
			return s.bind(ctx, a.get("name"), addr)
		}})
	register(&Spec{Action: "listen", Example: "listen srv backlog=128",
		Params: []Param{{Name: "name", Positional: true, Required: true}, {Name: "backlog"}},
		run: func(ctx context.Context, s *Session, a args) error {
			n, err := a.int("backlog", 128)
			if err != nil {
				return err
			}
			return s.listen(ctx, a.get("name"), n)
		}})
	register(&Spec{Action: "accept", Example: "accept srv as=conn",
		Params: []Param{{Name: "name", Positional: true, Required: true}, {Name: "as", Required: true}},
		run: func(ctx context.Context, s *Session, a args) error {
			return s.accept(ctx, a.get("name"), a.get("as"))
		}})
	register(&Spec{Action: "connect", Example: "connect c to=srv ask=yes",
		Params: []Param{{Name: "name", Positional: true, Required: true}, {Name: "to"}, {Name: "ask", Values: []string{"yes"}}},
		run: func(ctx context.Context, s *Session, a args) error {
			addr, err := s.target(a.get("to"))
			if err != nil {
				return err
			}
			if a.get("ask") == "yes" && s.cfg.Role == "" {
				if addr, err = s.askAddr(ctx, addr); err != nil {
					return err
				}
			}
			if s.cfg.Role != "" && s.externalTarget(a.get("to")) {
				return s.connectWhenListening(ctx, a.get("name"), addr)
			}
			return s.connect(ctx, a.get("name"), addr)
		}})
	register(&Spec{Action: "send", Example: `send c text="hello" ask=yes`,
		Params: []Param{{Name: "name", Positional: true, Required: true}, {Name: "text", Text: true}, {Name: "ask", Values: []string{"yes"}}},
		run: func(ctx context.Context, s *Session, a args) error {
			text := a.get("text")
			if a.get("ask") == "yes" {
				var err error
				if text, err = s.ui.Ask(ctx, Question{Key: "ask.line", Default: text}); err != nil {
					return err
				}
			}
			return s.send(ctx, a.get("name"), []byte(text))
		}})
	register(&Spec{Action: "recv", Example: "recv conn size=1024",
		Params: []Param{{Name: "name", Positional: true, Required: true}, {Name: "size"}},
		run: func(ctx context.Context, s *Session, a args) error {
			n, err := a.int("size", 1024)
			if err != nil {
				return err
			}
			return s.recv(ctx, a.get("name"), n)
		}})
	register(&Spec{Action: "sendto", Example: `sendto tx to=rx text="hello|exit" repeat=yes`,
		Params: []Param{
			{Name: "name", Positional: true, Required: true}, {Name: "to"},
			{Name: "text", Text: true}, {Name: "ask", Values: []string{"yes"}},
			{Name: "repeat", Values: []string{"yes"}},
		},
		run: func(ctx context.Context, s *Session, a args) error { return s.sendtoStep(ctx, a) }})
	register(&Spec{Action: "recvfrom", Example: "recvfrom rx size=1024",
		Params: []Param{{Name: "name", Positional: true, Required: true}, {Name: "size"}},
		run: func(ctx context.Context, s *Session, a args) error {
			n, err := a.int("size", 1024)
			if err != nil {
				return err
			}
			return s.recvfrom(ctx, a.get("name"), n)
		}})
	register(&Spec{Action: "close", Example: "close conn",
		Params: []Param{{Name: "name", Positional: true, Required: true}},
		run: func(ctx context.Context, s *Session, a args) error {
			return s.closeSocket(ctx, a.get("name"))
		}})
	register(&Spec{Action: "shutdown", Example: "shutdown c how=wr",
		Params: []Param{{Name: "name", Positional: true, Required: true}, {Name: "how", Values: []string{"wr", "rd", "rdwr"}}},
		run: func(ctx context.Context, s *Session, a args) error {
			return s.shutdown(ctx, a.get("name"), a.get("how"))
		}})
	register(&Spec{Action: "inspect", Example: "inspect srv conn",
		Params: []Param{{Name: "name", Positional: true, Required: true}},
		run: func(ctx context.Context, s *Session, a args) error {
			for _, n := range a.d.Pos {
				if s.Socket(n) == nil {
					return fmt.Errorf("the lesson inspects socket %q before creating it: %w", n, ErrLesson)
				}
			}
			return nil
		}})
	register(&Spec{Action: "addrs", Example: "addrs",
		run: func(ctx context.Context, s *Session, a args) error {
			ifs, err := Interfaces()
			if err != nil {
				return err
			}
			for _, i := range ifs {
				var as []string
				for _, p := range i.Addrs {
					as = append(as, p.Addr().String())
				}
				if len(as) == 0 {
					as = []string{"-"}
				}
				s.ui.Note("machine.iface", i.Name, strings.Join(as, ", "))
			}
			return nil
		}})
}

// Lookup returns the spec of an action.
func Lookup(action string) (*Spec, bool) {
	sp, ok := specs[action]
	return sp, ok
}

// Specs returns every action, sorted by name.
func Specs() []*Spec {
	out := make([]*Spec, 0, len(specs))
	for _, sp := range specs {
		out = append(out, sp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Action < out[j].Action })
	return out
}

// args gives a directive's arguments by parameter name.
type args struct {
	sp *Spec
	d  content.Directive
}

func (a args) get(name string) string {
	i := 0
	for _, p := range a.sp.Params {
		if !p.Positional {
			continue
		}
		if p.Name == name {
			if i < len(a.d.Pos) {
				return a.d.Pos[i]
			}
			return ""
		}
		i++
	}
	return a.d.Args[name]
}

func (a args) int(name string, def int) (int, error) {
	v := a.get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%q is not a whole number: %w", name, v, ErrLesson)
	}
	return n, nil
}

// intIn is int, within lo..hi: an experiment's size or count.
func (a args) intIn(name string, def, lo, hi int) (int, error) {
	n, err := a.int(name, def)
	if err == nil && (n < lo || n > hi) {
		err = fmt.Errorf("%s=%d must be from %d to %d: %w", name, n, lo, hi, ErrLesson)
	}
	return n, err
}

// Validate checks a directive against its spec: a known action, known
// arguments, required ones present, values from the allowed set.
func Validate(d content.Directive) error {
	sp, d, err := resolve(d)
	if err != nil {
		return err
	}
	var pos []Param
	known := map[string]Param{}
	for _, p := range append(append([]Param(nil), sp.Params...), commonParams...) {
		if p.Positional {
			pos = append(pos, p)
		} else {
			known[p.Name] = p
		}
	}
	variadic := d.Action == "inspect" || d.Action == "states"
	if len(d.Pos) > len(pos) && !variadic {
		return fmt.Errorf("step %q takes %d word(s) before its key=value arguments, not %d: %w", d.Action, len(pos), len(d.Pos), ErrLesson)
	}
	for i, p := range pos {
		if i >= len(d.Pos) {
			if p.Required {
				return fmt.Errorf("step %q needs its %s: %w", d.Action, p.Name, ErrLesson)
			}
			continue
		}
		if err := checkValue(d.Action, p, d.Pos[i]); err != nil {
			return err
		}
	}
	for k, v := range d.Args {
		p, ok := known[k]
		if !ok {
			return fmt.Errorf("step %q has no argument %q: %w", d.Action, k, ErrLesson)
		}
		if err := checkValue(d.Action, p, v); err != nil {
			return err
		}
	}
	for _, p := range sp.Params {
		if !p.Positional && p.Required {
			if _, ok := d.Args[p.Name]; !ok {
				return fmt.Errorf("step %q needs %s=...: %w", d.Action, p.Name, ErrLesson)
			}
		}
	}
	for _, k := range []string{"size", "backlog"} {
		if v, ok := d.Args[k]; ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1<<20 {
				return fmt.Errorf("step %q: %s=%q must be a whole number from 1 to %d: %w", d.Action, k, v, 1<<20, ErrLesson)
			}
		}
	}
	if sp.check != nil {
		if err := sp.check(args{sp, d}); err != nil {
			return err
		}
	}
	if e, ok := d.Args["expect"]; ok {
		if _, ok := errnoByName(e); !ok {
			return fmt.Errorf("expect=%s is not an errno name such as EADDRINUSE: %w", e, ErrLesson)
		}
	}
	return nil
}

func checkValue(action string, p Param, v string) error {
	if len(p.Values) == 0 {
		return nil
	}
	for _, ok := range p.Values {
		if v == ok {
			return nil
		}
	}
	return fmt.Errorf("step %q: %s=%q, but it must be one of %s: %w", action, p.Name, v, strings.Join(p.Values, ", "), ErrLesson)
}

// Signature is a directive with its wording arguments left out: two
// translations of a lesson must have the same signatures, step by step.
func Signature(d content.Directive) string {
	sp, _, err := resolve(d)
	if err != nil {
		return d.String()
	}
	c := content.Directive{Action: d.Action, Pos: d.Pos, Args: map[string]string{}}
	for k, v := range d.Args {
		text := false
		for _, p := range sp.Params {
			if p.Name == k && p.Text {
				text = true
			}
		}
		if !text {
			c.Args[k] = v
		}
	}
	return c.String()
}

// Check validates a whole lesson: every directive, and every socket used
// only after a step creates it.
func Check(l *content.Lesson) []error {
	var errs []error
	made := map[string]bool{}
	for _, st := range l.Steps {
		for _, d := range st.Directives {
			at := func(err error) error { return &content.ParseError{File: l.Source, Line: d.Line, Msg: err.Error()} }
			if err := Validate(d); err != nil {
				errs = append(errs, at(err))
				if d.Action == "socket" && len(d.Pos) > 0 {
					made[d.Pos[0]] = true // one mistake, one message
				}
				continue
			}
			sp, rd, _ := resolve(d)
			a := args{sp, rd}
			switch d.Action {
			case "socket":
				made[a.get("name")] = true
				continue
			case "addrs", "predict", "experiment":
				continue
			}
			for _, n := range socketArgs(d) {
				if !made[n] {
					errs = append(errs, at(fmt.Errorf("socket %q is used before a socket step creates it: %w", n, ErrLesson)))
				}
			}
			if d.Action == "accept" {
				made[a.get("as")] = true
			}
		}
	}
	return errs
}

// socketArgs names the sockets a directive acts on (not the ones it
// creates).
func socketArgs(d content.Directive) []string {
	switch d.Action {
	case "addrs", "socket", "predict", "experiment":
		return nil
	case "inspect", "states":
		return d.Pos
	}
	if len(d.Pos) > 0 {
		return d.Pos[:1]
	}
	return nil
}
