package lessons

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sockstep/sockstep/content"
	unix "github.com/sockstep/sockstep/lessons/unixshim"
)

// Param describes one argument of a step directive.
type Param struct {
	Name       string
	Positional bool
	Required   bool
	// Variadic marks the last positional parameter as taking every word
	// left (inspect a b c).
	Variadic bool
	// Text marks wording that each translation writes in its own language
	// (a message to send); it is left out when translations are compared.
	Text bool
	// Values, when set, are the only accepted values.
	Values []string
	// Default is the value an argument left out has: the run and the
	// preview read it, so it is written here and nowhere else.
	Default string
	// Min and Max, when Max > 0, make the argument a whole number in
	// Min..Max, checked before the step runs.
	Min, Max int
	// Socket says whether the value names a socket of the lesson, and
	// how the directive treats it.
	Socket SocketRole
}

// A SocketRole says what an argument naming a socket means to its
// directive. From it alone, the lesson check knows a socket is used
// before it exists, the runner knows which sockets a step touched (and
// reports the kernel's facts on them), and a step whose socket the
// learner plays from another terminal is left to them.
type SocketRole int

const (
	NoSocket SocketRole = iota
	// SocketUsed is a socket an earlier directive created, which this
	// one acts on.
	SocketUsed
	// SocketCreated is a new socket the directive makes under that name.
	SocketCreated
	// SocketOrAddr is a destination: a socket of the lesson (its
	// address) or HOST:PORT.
	SocketOrAddr
)

// Spec describes one step directive: its name, its arguments (with their
// defaults and the sockets they name), an example, how it runs and how it
// is previewed. It is the only description of a directive: Validate,
// Check, the preview, the runner and `sockstep steps` all read it.
type Spec struct {
	Action  string
	Params  []Param
	Example string
	run     func(ctx context.Context, s *Session, a args) error
	// preview writes the call shown before the step runs, as code, with
	// the descriptors and addresses known so far ("" for none).
	preview func(s *Session, a args) string
	// check, when set, validates what the generic checks cannot (an
	// answer within the number of choices, say).
	check func(a args) error
	// effect, when set, is what the directive does to our sockets when
	// the other terminal runs it (two-terminal mode, role.go): the step
	// waits until the kernel shows it.
	effect func(s *Session, a args) *effect
}

// common parameters every action takes.
var commonParams = []Param{
	{Name: "expect"}, // an errno name the lesson sets out to show
}

// nameParam is the positional first argument most directives take: the socket
// they act on.
var nameParam = Param{Name: "name", Positional: true, Required: true, Socket: SocketUsed}

// directives is every step directive. A new directive is one entry here
// and the Session method it runs; an experiment is one entry in
// experimentSpecs (experiment.go).
var directives = []*Spec{
	{Action: "socket", Example: "socket rx udp",
		Params: []Param{
			{Name: "name", Positional: true, Required: true, Socket: SocketCreated},
			{Name: "proto", Positional: true, Required: true, Values: []string{"udp", "tcp"}},
			{Name: "family", Values: []string{"4", "6"}},
			{Name: "by", Values: []string{"peer"}},
		},
		preview: func(s *Session, a args) string {
			fam, typ := "AF_INET", "SOCK_DGRAM"
			if familyOf(s.cfg.Host) == unix.AF_INET6 || a.get("family") == "6" {
				fam = "AF_INET6"
			}
			if a.get("family") == "4" {
				fam = "AF_INET"
			}
			if a.get("proto") == "tcp" {
				typ = "SOCK_STREAM"
			}
			return fmt.Sprintf("%s = socket(%s, %s, 0)", a.get("name"), fam, typ)
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
		}},
	{Action: "bind", Example: "bind rx port=7788",
		Params: []Param{nameParam, {Name: "addr"}, {Name: "port"}},
		preview: func(s *Session, a args) string {
			as := a.get("addr")
			if addr, err := s.bindAddr(a); err == nil {
				as = addr.String()
			}
			return fmt.Sprintf("bind(%s, %s)", a.fd("name", s), as)
		},
		run: func(ctx context.Context, s *Session, a args) error {
			addr, err := s.bindAddr(a)
			if err != nil {
				return err
			}
			return s.bind(ctx, a.get("name"), addr)
		}},
	{Action: "listen", Example: "listen srv backlog=128",
		Params: []Param{nameParam, {Name: "backlog", Default: "128", Min: 1, Max: 1 << 20}},
		preview: func(s *Session, a args) string {
			return fmt.Sprintf("listen(%s, %s)", a.fd("name", s), a.get("backlog"))
		},
		run: func(ctx context.Context, s *Session, a args) error {
			return s.listen(ctx, a.get("name"), a.int("backlog"))
		}},
	{Action: "accept", Example: "accept srv as=conn",
		Params: []Param{nameParam, {Name: "as", Required: true, Socket: SocketCreated}},
		preview: func(s *Session, a args) string {
			return fmt.Sprintf("%s, addr = accept(%s)", a.get("as"), a.fd("name", s))
		},
		run: func(ctx context.Context, s *Session, a args) error {
			return s.accept(ctx, a.get("name"), a.get("as"))
		}},
	{Action: "connect", Example: "connect c to=srv ask=yes", effect: connectEffect,
		Params: []Param{nameParam, {Name: "to", Socket: SocketOrAddr}, {Name: "ask", Values: []string{"yes"}}},
		preview: func(s *Session, a args) string {
			return fmt.Sprintf("connect(%s, %s)", a.fd("name", s), s.previewTarget(a.get("to")))
		},
		run: func(ctx context.Context, s *Session, a args) error {
			addr, err := s.targetOrAsk(ctx, a.get("to"), a.get("ask") == "yes")
			if err != nil {
				return err
			}
			if s.externalTarget(a.get("to")) {
				// The learner's own server, or the other terminal's: it
				// may not listen yet, and sockstep waits for it.
				return s.connectWhenListening(ctx, a.get("name"), addr)
			}
			return s.connect(ctx, a.get("name"), addr)
		}},
	{Action: "send", Example: `send c text="hello" ask=yes`, effect: sendEffect,
		Params: []Param{nameParam, {Name: "text", Text: true}, {Name: "ask", Values: []string{"yes"}}},
		preview: func(s *Session, a args) string {
			return fmt.Sprintf("send(%s, %s, 0)", a.fd("name", s), quoteData([]byte(a.get("text"))))
		},
		run: func(ctx context.Context, s *Session, a args) error {
			text := a.get("text")
			if a.get("ask") == "yes" {
				var err error
				if text, err = s.ui.Ask(ctx, Question{Key: "ask.line", Default: text}); err != nil {
					return err
				}
			}
			return s.send(ctx, a.get("name"), []byte(text))
		}},
	{Action: "recv", Example: "recv conn size=1024",
		Params: []Param{nameParam, {Name: "size", Default: "1024", Min: 1, Max: 1 << 20}},
		preview: func(s *Session, a args) string {
			return fmt.Sprintf("data = recv(%s, %s, 0)", a.fd("name", s), a.get("size"))
		},
		run: func(ctx context.Context, s *Session, a args) error {
			return s.recv(ctx, a.get("name"), a.int("size"))
		}},
	{Action: "sendto", Example: `sendto tx to=rx text="hello|exit" repeat=yes`, effect: sendtoEffect,
		Params: []Param{
			nameParam, {Name: "to", Socket: SocketOrAddr},
			{Name: "text", Text: true}, {Name: "ask", Values: []string{"yes"}},
			{Name: "repeat", Values: []string{"yes"}},
		},
		preview: func(s *Session, a args) string {
			texts := strings.Split(a.get("text"), "|")
			out := fmt.Sprintf("sendto(%s, %s, 0, %s)", a.fd("name", s), quoteData([]byte(texts[0])), s.previewTarget(a.get("to")))
			if a.get("repeat") == "yes" {
				out = s.text("call.repeat", out)
			}
			return out
		},
		run: func(ctx context.Context, s *Session, a args) error { return s.sendtoStep(ctx, a) }},
	{Action: "recvfrom", Example: "recvfrom rx size=1024",
		Params: []Param{nameParam, {Name: "size", Default: "1024", Min: 1, Max: 1 << 20}},
		preview: func(s *Session, a args) string {
			return fmt.Sprintf("data, addr = recvfrom(%s, %s, 0)", a.fd("name", s), a.get("size"))
		},
		run: func(ctx context.Context, s *Session, a args) error {
			return s.recvfrom(ctx, a.get("name"), a.int("size"))
		}},
	{Action: "close", Example: "close conn", effect: closeEffect,
		Params: []Param{nameParam},
		preview: func(s *Session, a args) string {
			return fmt.Sprintf("close(%s)", a.fd("name", s))
		},
		run: func(ctx context.Context, s *Session, a args) error {
			return s.closeSocket(ctx, a.get("name"))
		}},
	{Action: "shutdown", Example: "shutdown c how=wr", effect: closeEffect,
		Params: []Param{nameParam, {Name: "how", Values: []string{"wr", "rd", "rdwr"}, Default: "wr"}},
		preview: func(s *Session, a args) string {
			how := map[string]string{"wr": "SHUT_WR", "rd": "SHUT_RD", "rdwr": "SHUT_RDWR"}[a.get("how")]
			return fmt.Sprintf("shutdown(%s, %s)", a.fd("name", s), how)
		},
		run: func(ctx context.Context, s *Session, a args) error {
			return s.shutdown(ctx, a.get("name"), a.get("how"))
		}},
	{Action: "setsockopt", Example: "setsockopt srv reuseaddr",
		Params: []Param{nameParam, {Name: "option", Positional: true, Required: true, Values: sockoptNames()}},
		preview: func(s *Session, a args) string {
			return "setsockopt(" + a.fd("name", s) + ", " + sockopts[a.get("option")].text + ", 1)"
		},
		run: func(ctx context.Context, s *Session, a args) error {
			return s.setsockopt(ctx, a.get("name"), a.get("option"))
		}},
	{Action: "inspect", Example: "inspect srv conn",
		Params: []Param{{Name: "name", Positional: true, Required: true, Variadic: true, Socket: SocketUsed}},
		preview: func(s *Session, a args) string {
			return "# " + s.text("call.inspect", strings.Join(a.list("name"), " "))
		},
		run: func(ctx context.Context, s *Session, a args) error {
			for _, n := range a.list("name") {
				if s.Socket(n) == nil {
					return fmt.Errorf("the lesson inspects socket %q before creating it: %w", n, ErrLesson)
				}
			}
			return nil
		}},
	{Action: "states", Example: "states c srv conn",
		Params: []Param{{Name: "name", Positional: true, Required: true, Variadic: true, Socket: SocketUsed}},
		preview: func(s *Session, a args) string {
			return "# TCP_INFO tcpi_state: " + strings.Join(a.list("name"), " ")
		},
		run: func(ctx context.Context, s *Session, a args) error { return s.states(a.list("name")) }},
	{Action: "predict", Example: `predict choices="three datagrams|one datagram|it varies" answer=1`,
		Params: []Param{
			{Name: "choices", Required: true, Text: true},
			{Name: "answer", Default: "0"},
		},
		check:   checkPrediction,
		preview: func(*Session, args) string { return "" }, // a question, not a call
		run:     func(ctx context.Context, s *Session, a args) error { return s.predict(ctx, a) }},
	{Action: "addrs", Example: "addrs",
		preview: func(*Session, args) string { return "getifaddrs()" },
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
		}},
}

// specs finds a directive's Spec by its action.
var specs = byAction(directives)

func byAction(list []*Spec) map[string]*Spec {
	m := make(map[string]*Spec, len(list))
	for _, sp := range list {
		m[sp.Action] = sp
	}
	return m
}

// Specs returns every action, sorted by name.
func Specs() []*Spec { return sorted(directives) }

func sorted(list []*Spec) []*Spec {
	out := slices.Clone(list)
	slices.SortFunc(out, func(a, b *Spec) int { return strings.Compare(a.Action, b.Action) })
	return out
}

// param is the parameter called name, with the common ones.
func (sp *Spec) param(name string) (Param, bool) {
	for _, p := range sp.Params {
		if p.Name == name {
			return p, true
		}
	}
	for _, p := range commonParams {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// subject is the parameter naming the one socket the directive is about
// (the socket it acts on or creates): whoever owns that socket runs the
// directive. Directives over several sockets (inspect) have none.
func (sp *Spec) subject() (Param, bool) {
	for _, p := range sp.Params {
		if (p.Socket == SocketUsed || p.Socket == SocketCreated) && !p.Variadic {
			return p, true
		}
	}
	return Param{}, false
}

// yourTurn reports whether the directive, on a socket the learner plays
// from another terminal, is left to them with the note
// "peer.your-turn.ACTION": it acts on one socket (a socket it creates is
// announced with the commands to paste instead).
func (sp *Spec) yourTurn() bool {
	p, ok := sp.subject()
	return ok && p.Socket == SocketUsed
}

// args gives a directive's arguments by parameter name.
type args struct {
	sp *Spec
	d  content.Directive
}

// get is the value of an argument, or its Param.Default when the
// directive leaves it out or empty.
func (a args) get(name string) string {
	if v := a.raw(name); v != "" {
		return v
	}
	p, _ := a.sp.param(name)
	return p.Default
}

// raw is the argument as written, "" when left out.
func (a args) raw(name string) string {
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

// list is the words a variadic parameter took.
func (a args) list(name string) []string {
	i := 0
	for _, p := range a.sp.Params {
		if !p.Positional {
			continue
		}
		if p.Name == name {
			if i < len(a.d.Pos) {
				return a.d.Pos[i:]
			}
			return nil
		}
		i++
	}
	return nil
}

// int is a whole-number argument (Param.Max > 0), which Validate has
// checked before the directive runs.
func (a args) int(name string) int {
	n, _ := strconv.Atoi(a.get(name))
	return n
}

// fd shows the socket an argument names as its descriptor once it is
// open, or by its name before a step creates it.
func (a args) fd(name string, s *Session) string {
	n := a.get(name)
	if k := s.Socket(n); k != nil && k.Open() {
		return strconv.Itoa(k.FD)
	}
	return n
}

// sockets is the names of the sockets the arguments with role name.
func (a args) sockets(role SocketRole) []string {
	var out []string
	for _, p := range a.sp.Params {
		if p.Socket != role {
			continue
		}
		if p.Variadic {
			out = append(out, a.list(p.Name)...)
		} else if v := a.get(p.Name); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// subject is the socket the directive is about (Spec.subject), or "".
func (a args) subject() string {
	if p, ok := a.sp.subject(); ok {
		return a.get(p.Name)
	}
	return ""
}

// argsOf resolves a directive into its spec and arguments; ok is false
// for a directive no spec describes.
func argsOf(d content.Directive) (args, bool) {
	sp, rd, err := resolve(d)
	if err != nil {
		return args{}, false
	}
	return args{sp, rd}, true
}

// socketName is the socket a directive is about: the one it acts on, or
// the one it creates.
func socketName(d content.Directive) string {
	if a, ok := argsOf(d); ok {
		return a.subject()
	}
	return ""
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
	for _, p := range append(slices.Clone(sp.Params), commonParams...) {
		if p.Positional {
			pos = append(pos, p)
		} else {
			known[p.Name] = p
		}
	}
	variadic := len(pos) > 0 && pos[len(pos)-1].Variadic
	if len(d.Pos) > len(pos) && !variadic {
		return mistake("lint.d.words", "step %q takes %d word(s) before its key=value arguments, not %d", d.Action, len(pos), len(d.Pos))
	}
	for i, p := range pos {
		if i >= len(d.Pos) {
			if p.Required {
				return mistake("lint.d.needs-word", "step %q needs its %s", d.Action, p.Name)
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
			return mistake("lint.d.no-arg", "step %q has no argument %q", d.Action, k)
		}
		if err := checkValue(d.Action, p, v); err != nil {
			return err
		}
	}
	for _, p := range sp.Params {
		if !p.Positional && p.Required {
			if _, ok := d.Args[p.Name]; !ok {
				return mistake("lint.d.needs-arg", "step %q needs %s=...", d.Action, p.Name)
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
			return mistake("lint.d.expect", "expect=%s is not an errno name such as EADDRINUSE", e)
		}
	}
	return nil
}

func checkValue(action string, p Param, v string) error {
	if len(p.Values) > 0 && !slices.Contains(p.Values, v) {
		return mistake("lint.d.values", "step %q: %s=%q, but it must be one of %s", action, p.Name, v, strings.Join(p.Values, ", "))
	}
	if p.Max > 0 {
		n, err := strconv.Atoi(v)
		if err != nil || n < p.Min || n > p.Max {
			return mistake("lint.d.range", "step %q: %s=%q must be a whole number from %d to %d", action, p.Name, v, p.Min, p.Max)
		}
	}
	return nil
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
		if p, _ := sp.param(k); !p.Text {
			c.Args[k] = v
		}
	}
	return c.String()
}

// Check validates a whole lesson: every directive; every socket used only
// after a step creates it, and not created twice while it is open; listen
// and accept only on TCP sockets; a port a whole number in 0..65535 or a
// socket of the lesson; a destination a socket of the lesson or a
// loopback HOST:PORT (a run refuses any other); listen only after a bind
// (listen.go refuses to let the kernel bind every address); states only
// of TCP sockets. Every mistake is reported,
// each at its line, with a catalog key (Mistake) for the learner's
// language.
func Check(l *content.Lesson) []error {
	var errs []error
	// Role-conditional prose (content/role.go): balanced, and only in a
	// lesson with a two-terminal mode, where both texts can be shown.
	texts := []struct {
		line int
		text string
	}{{1, l.Intro}}
	for _, st := range l.Steps {
		texts = append(texts, struct {
			line int
			text string
		}{st.Line, st.Body + "\n" + st.After})
	}
	for _, x := range texts {
		probs := content.RoleMarkProblems(x.text)
		if l.Role == "" && content.ChooseRoleText(x.text, true) != content.ChooseRoleText(x.text, false) {
			probs = append(probs, content.RoleMarksAlone())
		}
		for _, p := range probs {
			p.File, p.Line = l.Source, x.line
			errs = append(errs, p)
		}
	}
	made := map[string]bool{} // created by an earlier directive
	open := map[string]bool{} // created and not closed since
	proto := map[string]string{}
	bound := map[string]bool{} // given an address by a bind (or a connect)
	for _, st := range l.Steps {
		for _, d := range st.Directives {
			at := func(err error) error {
				pe := &content.ParseError{File: l.Source, Line: d.Line, Msg: err.Error()}
				if m, ok := err.(*Mistake); ok {
					pe.Key, pe.Args = m.Key, m.Args
				}
				return pe
			}
			a, ok := argsOf(d)
			if err := Validate(d); err != nil {
				errs = append(errs, at(err))
				if ok {
					for _, n := range a.sockets(SocketCreated) {
						made[n], open[n] = true, true // one mistake, one message
					}
				}
				continue
			}
			for _, n := range a.sockets(SocketUsed) {
				if !made[n] {
					errs = append(errs, at(mistake("lint.d.before", "socket %q is used before a socket step creates it", n)))
				}
			}
			if (d.Action == "listen" || d.Action == "accept") && proto[a.get("name")] == string(UDP) {
				errs = append(errs, at(mistake("lint.d.udp-stream", "step %q needs a TCP socket, and %q is UDP (listen and accept are for connections)", d.Action, a.get("name"))))
			}
			if n := a.get("name"); d.Action == "listen" && proto[n] == string(TCP) && !bound[n] {
				errs = append(errs, at(mistake("lint.d.listen-unbound", "socket %q is listened on before a bind gives it an address (the kernel would bind it to every address of the machine)", n)))
			}
			if d.Action == "states" {
				for _, n := range a.list("name") {
					if proto[n] == string(UDP) {
						errs = append(errs, at(mistake("lint.d.udp-states", "socket %q is UDP, which has no connection states to draw", n)))
					}
				}
			}
			if _, fails := d.Args["expect"]; (d.Action == "bind" && !fails) || d.Action == "connect" {
				bound[a.get("name")] = true
			}
			if v := a.get("port"); v != "" && d.Action == "bind" {
				if n, err := strconv.Atoi(v); err == nil && (n < 0 || n > 65535) || err != nil && !made[v] {
					errs = append(errs, at(mistake("lint.d.port", "port=%s is neither a port number from 0 to 65535 nor a socket of the lesson", v)))
				}
			}
			for _, to := range a.sockets(SocketOrAddr) {
				if made[to] || to == "closed" {
					continue
				}
				addr, err := ParseHostPort(to)
				switch {
				case err != nil:
					errs = append(errs, at(mistake("lint.d.to", "to=%s is neither a socket of the lesson nor HOST:PORT", to)))
				case !loopbackFor(addr.Addr()).IsLoopback():
					errs = append(errs, at(mistake("lint.d.remote", "to=%s is not a loopback address: a run only sends to 127.0.0.0/8 or ::1", to)))
				}
			}
			if d.Action == "close" {
				open[a.get("name")] = false
			}
			for _, n := range a.sockets(SocketCreated) {
				if open[n] {
					errs = append(errs, at(mistake("lint.d.twice", "socket %q is created again while it is still open (close it first, or pick another name)", n)))
				}
				made[n], open[n] = true, true
				bound[n] = d.Action != "socket" // accept's socket is connected
				if d.Action == "socket" {
					proto[n] = a.get("proto")
				}
			}
		}
	}
	return errs
}

// A Mistake is a mistake in a lesson's text, with a catalog key (and its
// arguments) so that lint and the runner say it in the learner's
// language; Error gives the English sentence.
type Mistake struct {
	Key  string
	Args []any
	Msg  string
}

func (m *Mistake) Error() string { return m.Msg + ": " + ErrLesson.Error() }
func (m *Mistake) Unwrap() error { return ErrLesson }

func mistake(key, format string, args ...any) error {
	return &Mistake{Key: key, Args: args, Msg: fmt.Sprintf(format, args...)}
}
