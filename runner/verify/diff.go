package verify

import (
	"reflect"

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
func compare(want, got Facts) []Difference {
	var r reporter
	cmp.Equal(want, got, cmpopts.EquateEmpty(), cmp.Reporter(&r))
	return mergePairs(r.diffs)
}

type reporter struct {
	path  cmp.Path
	diffs []Difference
}

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
		}
	}
	d.Label = label(fields)
	// A whole list against an empty one (EquateEmpty reports them as one
	// node) is shown element by element, like any other list.
	if isSlice(vx) || isSlice(vy) {
		for i := range max(length(vx), length(vy)) {
			r.diffs = append(r.diffs, Difference{Label: d.Label, Index: i + 1, Want: elem(vx, i), Got: elem(vy, i)})
		}
		return
	}
	d.Want, d.Got = value(vx), value(vy)
	r.diffs = append(r.diffs, d)
}

func isSlice(v reflect.Value) bool { return v.IsValid() && v.Kind() == reflect.Slice }

func length(v reflect.Value) int {
	if !isSlice(v) {
		return 0
	}
	return v.Len()
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
	case "File":
		key = "verify.label.file"
		if len(fields) > 1 {
			key = map[string]string{"Prefix": "verify.label.prefix", "Length": "verify.label.body_length", "SHA256": "verify.label.body_sha"}[fields[1]]
		}
	case "Conns":
		key = "verify.label.conn"
		if len(fields) > 1 {
			key = map[string]string{"FromProgram": "verify.label.conn_data", "Closed": "verify.label.conn_closed"}[fields[1]]
		}
	}
	return key
}

// mergePairs joins a "missing" and an "extra" report of the same place
// into one changed value. go-cmp aligns slices with an edit script, so a
// datagram that arrived changed is reported as one removed and one added.
func mergePairs(ds []Difference) []Difference {
	var out []Difference
	for _, d := range ds {
		merged := false
		for i := range out {
			o := &out[i]
			if o.Label != d.Label || o.Index != d.Index {
				continue
			}
			if o.Got == nil && d.Want == nil && d.Got != nil {
				o.Got, merged = d.Got, true
			} else if o.Want == nil && d.Got == nil && d.Want != nil {
				o.Want, merged = d.Want, true
			}
			if merged {
				break
			}
		}
		if !merged {
			out = append(out, d)
		}
	}
	return out
}
