package runner

import "github.com/muesli/termenv"

type color int

const (
	colorNone color = iota
	colorOK
	colorErr
	colorDim
	colorCode
	colorData
	colorState
	colorHead
)

// paint colours s for the terminal; with the Ascii profile (plain runs,
// NO_COLOR) it returns s unchanged.
func (r *Runner) paint(c color, s string) string {
	p := r.opts.Profile
	if p == termenv.Ascii {
		return s
	}
	st := termenv.String(s)
	switch c {
	case colorOK:
		st = st.Foreground(p.Color("2"))
	case colorErr:
		st = st.Foreground(p.Color("1")).Bold()
	case colorDim:
		st = st.Faint()
	case colorCode:
		st = st.Foreground(p.Color("6"))
	case colorData:
		st = st.Foreground(p.Color("3"))
	case colorState:
		st = st.Foreground(p.Color("5")).Bold()
	case colorHead:
		st = st.Bold()
	}
	return st.String()
}
