package verify

import (
	"reflect"
	"strings"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Difference is one place where the program's behaviour left the contract.
type Difference struct {
	Label string // catalog key naming the place, e.g. verify.label.datagram
	Index int    // 1-based datagram, connection or line number; 0 for none
	Want  any    // expected value; nil when the program did more than expected
	Got   any    // observed value; nil when the program did less
}

// compare runs go-cmp over the Facts and collects the differences through
// a cmp.Reporter, so that each can be labelled and shown in the learner's
// language rather than as Go syntax.
//
// Connections are compared by position: verify opens them in a fixed order,
// so connection 2 is always verify's second client. (go-cmp aligns slices
// by similarity, which would pair a lone "closed, sent nothing" connection
// with whichever expected one it most resembles.) Datagrams and lines keep
// go-cmp's alignment, so one missing in the middle shows as missing.
func compare(want, got Facts) []Difference {
	ds, _ := compareCounted(want, got)
	return ds
}

// keptDiffs is how many differences verify keeps: the first few say it
// all, and a program that floods (an empty datagram sent forever) must
// not make verify hold, merge or print hundreds of thousands.
const keptDiffs = 20

// compareCounted is compare with the total number of differences, of
// which only the first keptDiffs are returned. It is linear in the size
// of the Facts: each difference is merged with its partner through a map
// as it is reported.
func compareCounted(want, got Facts) ([]Difference, int) {
	r := reporter{at: map[diffKey]*pending{}}
	cmp.Equal(want, got, cmpopts.EquateEmpty(), byPosition, cmp.Reporter(&r))
	kept := wholeRefused(r.diffs, want, got)
	return kept, r.total - (len(r.diffs) - len(kept))
}

// wholeRefused reports a refused connection as one difference, "refused",
// rather than as the bytes and the close it could not have.
func wholeRefused(ds []Difference, want, got Facts) []Difference {
	var out []Difference
	done := map[int]bool{}
	for _, d := range ds {
		i := d.Index - 1
		if strings.HasPrefix(d.Label, "verify.label.conn") && i >= 0 && i < len(got.Conns) && got.Conns[i].Refused {
			if !done[i] {
				done[i] = true
				var w any
				if i < len(want.Conns) {
					w = want.Conns[i]
				}
				out = append(out, Difference{Label: "verify.label.conn", Index: d.Index, Want: w, Got: got.Conns[i]})
			}
			continue
		}
		out = append(out, d)
	}
	return out
}

// byPosition turns the connection lists into maps keyed by position. It
// leaves two empty lists to EquateEmpty, which go-cmp would otherwise find
// as ambiguous as two options for one value.
var byPosition = cmp.FilterValues(func(x, y []ConnFacts) bool { return len(x)+len(y) > 0 },
	cmp.Transformer("byPosition", func(cs []ConnFacts) map[int]ConnFacts {
		m := make(map[int]ConnFacts, len(cs))
		for i, c := range cs {
			m[i] = c
		}
		return m
	}))

type reporter struct {
	path  cmp.Path
	diffs []Difference // the first keptDiffs, merged
	total int          // every difference, merged
	// at finds the partner of a difference at the same place. Only places
	// whose index is within mergeable are tracked: a missing value's
	// index is within the expected list, which is verify's own and short,
	// so a pair always is, and the map stays small whatever the program
	// sent.
	at map[diffKey]*pending
}

type diffKey struct {
	label string
	index int
}

// pending is a difference that may still be merged with its partner.
type pending struct {
	pos       int // in diffs; -1 when it was only counted
	want, got bool
}

// mergeable bounds the indices whose differences are tracked for merging.
const mergeable = 4096

func (r *reporter) PushStep(ps cmp.PathStep) { r.path = append(r.path, ps) }
func (r *reporter) PopStep()                 { r.path = r.path[:len(r.path)-1] }

func (r *reporter) Report(rs cmp.Result) {
	if rs.Equal() {
		return
	}
	vx, vy := r.path.Last().Values()
	var fields []string
	d := Difference{}
	for _, step := range r.path {
		switch s := step.(type) {
		case cmp.StructField:
			fields = append(fields, s.Name())
		case cmp.SliceIndex:
			ix, iy := s.SplitKeys()
			d.Index = max(ix, iy) + 1
			if ix >= 0 && iy >= 0 {
				d.Index = ix + 1
			}
		case cmp.MapIndex: // connections, by position
			if k, ok := s.Key().Interface().(int); ok {
				d.Index = k + 1
			}
		}
	}
	d.Label = label(fields)
	// A whole list against an empty one (EquateEmpty reports them as one
	// node) is shown element by element, like any other list.
	if isMap(vx) || isMap(vy) {
		for i := range max(length(vx), length(vy)) {
			r.add(Difference{Label: d.Label, Index: i + 1, Want: mapElem(vx, i), Got: mapElem(vy, i)})
		}
		return
	}
	if isSlice(vx) || isSlice(vy) {
		for i := range max(length(vx), length(vy)) {
			r.add(Difference{Label: d.Label, Index: i + 1, Want: elem(vx, i), Got: elem(vy, i)})
		}
		return
	}
	d.Want, d.Got = value(vx), value(vy)
	r.add(d)
}

func isSlice(v reflect.Value) bool { return v.IsValid() && v.Kind() == reflect.Slice }

func isMap(v reflect.Value) bool { return v.IsValid() && v.Kind() == reflect.Map }

func length(v reflect.Value) int {
	if !isSlice(v) && !isMap(v) {
		return 0
	}
	return v.Len()
}

func mapElem(v reflect.Value, i int) any {
	if !isMap(v) {
		return nil
	}
	if e := v.MapIndex(reflect.ValueOf(i)); e.IsValid() {
		return e.Interface()
	}
	return nil
}

func elem(v reflect.Value, i int) any {
	if i >= length(v) {
		return nil
	}
	return v.Index(i).Interface()
}

func value(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	return v.Interface()
}

// label maps a path of Facts field names to the catalog key naming it.
func label(fields []string) string {
	key := "verify.label.other"
	if len(fields) == 0 {
		return key
	}
	switch fields[0] {
	case "Datagrams":
		key = "verify.label.datagram"
	case "Stdout":
		key = "verify.label.stdout_line"
	case "Exit":
		key = "verify.label.exit"
	case "Threads":
		key = "verify.label.threads"
	case "File":
		key = "verify.label.file"
		if len(fields) > 1 {
			key = map[string]string{"Prefix": "verify.label.prefix", "Length": "verify.label.body_length", "SHA256": "verify.label.body_sha"}[fields[1]]
		}
	case "Conns":
		key = "verify.label.conn"
		if len(fields) > 1 {
			if k, ok := map[string]string{"FromProgram": "verify.label.conn_data", "Closed": "verify.label.conn_closed"}[fields[1]]; ok {
				key = k
			}
		}
	}
	return key
}

// add records d, joining a "missing" and an "extra" report of the same
// place into one changed value: go-cmp aligns slices with an edit script,
// so a datagram that arrived changed is reported as one removed and one
// added. Each report costs one map look-up, so a flood costs linear time.
func (r *reporter) add(d Difference) {
	k := diffKey{d.Label, d.Index}
	if p := r.at[k]; p != nil {
		switch {
		case !p.got && d.Want == nil && d.Got != nil:
			p.got = true
			if p.pos >= 0 {
				r.diffs[p.pos].Got = d.Got
			}
			delete(r.at, k)
			return
		case !p.want && d.Got == nil && d.Want != nil:
			p.want = true
			if p.pos >= 0 {
				r.diffs[p.pos].Want = d.Want
			}
			delete(r.at, k)
			return
		}
	}
	r.total++
	pos := -1
	if len(r.diffs) < keptDiffs {
		pos = len(r.diffs)
		r.diffs = append(r.diffs, d)
	}
	if d.Index <= mergeable && (d.Want == nil || d.Got == nil) {
		if _, taken := r.at[k]; !taken {
			r.at[k] = &pending{pos: pos, want: d.Want != nil, got: d.Got != nil}
		}
	}
}

// differences is what a check reports: the kept differences and their
// count. A program that never bound or listened at PORT shows one: every
// later one (the connections verify's clients never made, how it ended
// once verify stopped waiting) follows from it and would only hide it.
func differences(ex *exercise, o *Observation, want, got Facts) ([]Difference, int) {
	ds, n := compareCounted(want, got)
	for i, d := range ds {
		if d.Label == "verify.label.stdout_line" && d.Want == nil && d.Got == "" && d.Index == len(got.Stdout) {
			ds[i].Label = "verify.label.extra_empty_line"
		}
	}
	if len(ds) > 1 && ex.binds && !o.Reached && o.StartErr == nil {
		return ds[:1], 1
	}
	return ds, n
}
