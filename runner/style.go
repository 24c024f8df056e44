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

// palette is the foreground colour of each colour role for one text
// style. The dark style uses the terminal's own ANSI colours; the light
// style (a bright room, a projector on white) uses darker 256-colour
// shades, since ANSI green, cyan and yellow are faint on white.
type palette map[color]string

var (
	darkPalette = palette{colorOK: "2", colorErr: "1", colorCode: "6", colorData: "3", colorState: "5"}
	// light: dark green, red, dark teal, dark orange, purple (xterm 256).
	lightPalette = palette{colorOK: "28", colorErr: "160", colorCode: "24", colorData: "130", colorState: "90"}
)

// palette returns the colours of the chosen style.
func (r *Runner) palette() palette {
	if r.opts.Style == "light" {
		return lightPalette
	}
	return darkPalette
}

// paint colours s for the terminal; with the Ascii profile (plain runs,
// NO_COLOR) it returns s unchanged.
func (r *Runner) paint(c color, s string) string {
	p := r.opts.Profile
	if p == termenv.Ascii {
		return s
	}
	st := termenv.String(s)
	if fg, ok := r.palette()[c]; ok {
		st = st.Foreground(p.Color(fg))
	}
	switch c {
	case colorErr, colorState, colorHead:
		st = st.Bold()
	case colorDim:
		st = st.Faint()
	}
	return st.String()
}
