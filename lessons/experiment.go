package lessons

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/sockstep/sockstep/content"
)

// Measurement is what an experiment found: lines of numbers, and where it
// helps, a bar chart or the TCP states each socket went through. The front
// end shows it after the calls that produced it. Keys are message keys, so
// the words are in the learner's language.
type Measurement struct {
	Title  string // message key of the heading, or ""
	Rows   []Row
	Bars   []Bar
	Tracks []StateTrack
	// Values are numbers the prose below <!-- after --> may state, named
	// there as {{name}}, so that a sentence about this run says what this
	// run measured. A value is a bare number; the prose writes the unit in
	// its own language.
	Values map[string]string
}

// Row is one line of a measurement: a message key and its arguments.
type Row struct {
	Key  string
	Args []any
}

// Bar is one bar of a chart. Bars of one chart share a unit.
type Bar struct {
	Key   string // message key of the label
	Args  []any
	Value float64
	Unit  string // e.g. "MB/s", "datagrams"; shown as written
}

// StateTrack is the TCP states one socket passed through, as the kernel
// reported them, oldest first; the last is where it is now.
type StateTrack struct {
	Socket string
	Side   Side
	Peer   bool
	Seen   []string
}

// TCPStates is the TCP state diagram in the order a connection usually
// moves through it; a StateTrack is drawn against it.
var TCPStates = []string{"CLOSED", "LISTEN", "SYN_SENT", "SYN_RECV", "ESTABLISHED",
	"FIN_WAIT1", "FIN_WAIT2", "CLOSING", "TIME_WAIT", "CLOSE_WAIT", "LAST_ACK"}

// Measurer is the part of a front end that shows measurements. A UI that
// does not implement it gets the rows as notes.
type Measurer interface {
	Measure(Measurement)
}

// measure hands m to the front end.
func (s *Session) measure(m Measurement) {
	if mu, ok := s.ui.(Measurer); ok {
		mu.Measure(m)
		return
	}
	for _, r := range m.Rows {
		s.ui.Note(r.Key, r.Args...)
	}
}

// An experiment is a step too long to show one call at a time: thousands
// of sends, two clients racing, a lossy link. It runs on real sockets like
// any step, reports the calls that matter, closes everything it opened on
// every path, and ends with a Measurement. It is written
//
//	<!-- step: experiment NAME [key=value...] -->
//
// Adding one: write its Spec in its own file (exp_NAME.go), as
//
//	var nameExperiment = &Spec{Action: "NAME", Example: "experiment NAME ...",
//		Params:  []Param{{Name: "count", Default: "1000", Min: 1, Max: 10000}},
//		preview: func(s *Session, a args) string { ... },
//		run:     func(ctx context.Context, s *Session, a args) error { ... }}
//
// and add it to experimentSpecs. Its Action is the experiment's name; its
// Params are the arguments after the name, each default written once.
// Then a message "experiment.doc.NAME" in every catalog, and a row in the
// runner's table of experiment facts.
var experimentSpecs = []*Spec{
	backlogExperiment,
	boundariesExperiment,
	concurrencyExperiment,
	lossyLinkExperiment,
	tcpWindowExperiment,
	throughputExperiment,
	truncationExperiment,
	udpOverflowExperiment,
	timeoutsExperiment,
	partialSendExperiment,
	addressesExperiment,
	nonblockingExperiment,
	connectedUDPExperiment,
	nagleExperiment,
	resetExperiment,
	ipv6Experiment,
}

var experiments = byAction(experimentSpecs)

// Experiments returns every experiment, sorted by name.
func Experiments() []*Spec { return sorted(experimentSpecs) }

// resolve finds the spec a directive runs. For "experiment NAME ..." that
// is the experiment's own spec, and the directive is returned without NAME,
// so its arguments are checked against that experiment's parameters.
func resolve(d content.Directive) (*Spec, content.Directive, error) {
	if d.Action != "experiment" {
		sp, ok := specs[d.Action]
		if !ok {
			return nil, d, mistake("lint.d.unknown", "unknown step %q", d.Action)
		}
		return sp, d, nil
	}
	if len(d.Pos) == 0 {
		return nil, d, mistake("lint.d.experiment-name", "step \"experiment\" needs the experiment's name (%s)", strings.Join(experimentNames(), ", "))
	}
	sp, ok := experiments[d.Pos[0]]
	if !ok {
		return nil, d, mistake("lint.d.unknown-experiment", "unknown experiment %q (known: %s)", d.Pos[0], strings.Join(experimentNames(), ", "))
	}
	inner := d
	inner.Action = d.Pos[0]
	inner.Pos = d.Pos[1:]
	return sp, inner, nil
}

func experimentNames() []string {
	var out []string
	for _, sp := range Experiments() {
		out = append(out, sp.Action)
	}
	return out
}

// predict asks "what do you think will happen?" before a step runs; the
// answer the lesson expects is revealed after the results.
func (s *Session) predict(ctx context.Context, a args) error {
	if err := checkPrediction(a); err != nil {
		return err
	}
	labels := splitChoices(a.get("choices"))
	answer, _ := strconv.Atoi(a.get("answer"))
	keys := make([]string, len(labels))
	for i := range labels {
		keys[i] = "predict.choice." + strconv.Itoa(i+1)
	}
	ans, err := s.ui.Ask(ctx, Question{Key: "predict.question", Choices: keys, Labels: labels})
	if err != nil {
		return err
	}
	p := prediction{labels: labels, answer: answer}
	for i, k := range keys {
		if k == ans {
			p.chosen = i + 1
		}
	}
	s.pending = &p
	return nil
}

// states draws the TCP states the named sockets went through.
func (s *Session) states(names []string) error {
	s.settle()
	var tracks []StateTrack
	elsewhere := false
	for _, n := range names {
		k := s.Socket(n)
		if k == nil {
			return fmt.Errorf("the lesson draws the states of socket %q before creating it: %w", n, ErrLesson)
		}
		if k.Proto != TCP {
			return fmt.Errorf("socket %q is UDP, which has no connection states: %w", n, ErrLesson)
		}
		if k.External {
			// The learner's own program, in another terminal: its
			// states are not ours to read, so none are drawn.
			elsewhere = true
			continue
		}
		tracks = append(tracks, s.track(k))
	}
	if elsewhere {
		s.ui.Note("peer.your-turn.inspect")
	}
	if len(tracks) > 0 {
		s.measure(Measurement{Title: "states.title", Tracks: tracks})
	}
	return nil
}

// checkPrediction wants at least two answers, and the expected one among
// them.
func checkPrediction(a args) error {
	labels := splitChoices(a.get("choices"))
	if len(labels) < 2 {
		return mistake("lint.d.two-choices", "step \"predict\" needs at least two choices, separated by |")
	}
	answer, err := strconv.Atoi(a.get("answer"))
	if err != nil {
		return mistake("lint.d.answer-number", "answer=%q is not a whole number", a.get("answer"))
	}
	if answer < 0 || answer > len(labels) {
		return mistake("lint.d.answer-range", "answer=%d, but there are %d choices", answer, len(labels))
	}
	return nil
}

// prediction is the learner's guess, kept until the step's results are in.
type prediction struct {
	labels []string
	answer int // 1-based; 0 when the lesson leaves it open
	chosen int // 1-based; 0 when no one was asked
}

func splitChoices(s string) []string {
	var out []string
	for _, c := range strings.Split(s, "|") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// reveal shows, after a step's results, what the learner predicted and
// what the lesson expected.
func (s *Session) reveal() {
	p := s.pending
	s.pending = nil
	if p == nil {
		return
	}
	if p.chosen > 0 {
		s.ui.Note("predict.yours", p.labels[p.chosen-1])
	}
	switch {
	case p.answer == 0:
	case p.chosen == p.answer:
		s.ui.Note("predict.right")
	case p.chosen == 0:
		s.ui.Note("predict.answer", p.labels[p.answer-1])
	default:
		s.ui.Note("predict.wrong", p.labels[p.answer-1])
	}
}

// track is the states socket k went through, from the timeline, ending
// with its state now.
func (s *Session) track(k *Socket) StateTrack {
	t := StateTrack{Socket: k.Name, Side: k.Side, Peer: k.Peer}
	add := func(st string) {
		if st != "" && (len(t.Seen) == 0 || t.Seen[len(t.Seen)-1] != st) {
			t.Seen = append(t.Seen, st)
		}
	}
	s.mu.Lock()
	for _, e := range s.tl {
		if e.Kind == EventState && e.Socket == k.Name {
			if len(t.Seen) == 0 {
				add(e.From)
			}
			add(e.To)
		}
	}
	s.mu.Unlock()
	now := s.inspect(k).State
	if now == "" && !k.Open() {
		now = "CLOSED"
	}
	add(now)
	if len(t.Seen) == 0 || t.Seen[0] != "CLOSED" {
		// Every socket is born CLOSED, even if the step that made it
		// moved it on before anyone looked.
		t.Seen = append([]string{"CLOSED"}, t.Seen...)
	}
	return t
}

// Prediction reads a predict directive: its choices and the answer the
// lesson expects (counted from 1, 0 for none); ok is false for any other
// directive, or one that lint would reject. A handout lists the choices
// and keeps the answer for its end.
func Prediction(d content.Directive) (choices []string, answer int, ok bool) {
	a, found := argsOf(d)
	if !found || a.sp.Action != "predict" || checkPrediction(a) != nil {
		return nil, 0, false
	}
	answer, _ = strconv.Atoi(a.get("answer"))
	return splitChoices(a.get("choices")), answer, true
}
