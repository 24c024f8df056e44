package main

import (
	"flag"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sockstep/sockstep/content"
)

// takes reports whether cmd takes the flag called name.
func takes(cmd *command, name string) bool { return slices.Contains(cmd.flags, name) }

// known reports whether any command takes the flag called name.
func known(name string) bool {
	for _, f := range flagTable {
		if f.name == name {
			return true
		}
	}
	return name == "help" || name == "h"
}

// splitCommand finds the command's name: the first word that is not a
// flag or a flag's value, so that flags may stand before it
// (`sockstep --lang zh run tcp-server`). rest is args without that word.
func splitCommand(args []string) (name string, rest []string, err error) {
	args = joinAutoDelay(args)
	var o opts
	fs := newFlagSet(nil, &o)
	if err := fs.Parse(args); err != nil {
		return "", nil, err
	}
	left := fs.Args()
	if len(left) == 0 || left[0] == "--" {
		return "", args, nil
	}
	i := len(args) - len(left)
	return left[0], append(slices.Clone(args[:i]), args[i+1:]...), nil
}

// parseFlags reads the flags cmd takes wherever they stand among its
// words: `sockstep run tcp-server --auto` and `sockstep --auto run
// tcp-server` are the same. Words after "--" are words, whatever they
// look like.
func parseFlags(cmd *command, args []string) (o opts, words []string, err error) {
	args = joinAutoDelay(args)
	o = defaultOpts()
	fs := newFlagSet(cmd, &o)
	for {
		if err := fs.Parse(args); err != nil {
			return o, nil, err
		}
		left := fs.Args()
		// Parse stops at the first word, or takes "--" and stops after it.
		ended := len(left) < len(args) && args[len(args)-len(left)-1] == "--"
		args = left
		if len(args) == 0 || ended {
			fs.Visit(func(f *flag.Flag) { o.portSet = o.portSet || f.Name == "port" })
			return o, append(words, args...), nil
		}
		words = append(words, args[0])
		args = args[1:]
	}
}

// autoFlag is --auto (plain, no prompts) or --auto 3s (presenter mode: a
// countdown between steps).
type autoFlag struct {
	on    bool
	delay time.Duration
}

func (a *autoFlag) IsBoolFlag() bool { return true }

func (a *autoFlag) String() string {
	if a.delay > 0 {
		return a.delay.String()
	}
	return strconv.FormatBool(a.on)
}

func (a *autoFlag) Set(s string) error {
	if b, err := strconv.ParseBool(s); err == nil {
		a.on, a.delay = b, 0
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return fmt.Errorf("--auto takes no value, or a delay such as 3s")
	}
	a.on, a.delay = true, d
	return nil
}

// joinAutoDelay turns "--auto 3s" into "--auto=3s": the flag package never
// gives a boolean flag the next word.
func joinAutoDelay(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		if (a == "--auto" || a == "-auto") && i+1 < len(args) {
			// A delay, or a word meant as one (3x, 0s, 5): the flag
			// then says that delay is not valid, rather than take it for
			// the lesson's name.
			if _, err := time.ParseDuration(args[i+1]); err == nil || delayLike.MatchString(args[i+1]) {
				out = append(out, a+"="+args[i+1])
				i++
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

// delayLike is a word that begins as a number and goes on with letters
// only: a delay mistyped (3x, 10sec), never a lesson id with a hyphen.
var delayLike = regexp.MustCompile(`^[0-9][0-9.]*[a-zµ]*$`)

// takeLang takes --lang out of the arguments of a command that reads its
// own (verify), up to "--"; the rest is returned as it was.
func takeLang(args []string) (lang string, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return lang, append(rest, args[i:]...)
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case !strings.HasPrefix(a, "-") || name != "lang":
			rest = append(rest, a)
		case hasValue:
			lang = value
		case i+1 < len(args):
			lang = args[i+1]
			i++
		}
	}
	return lang, rest
}

// langArg finds --lang among arguments that did not parse, so that even
// a usage error is said in the learner's language.
func langArg(args []string) string {
	lang, _ := takeLang(args)
	return lang
}

// flagProblem says in the learner's language what the flag package found
// wrong; cmd, when known, is the command whose flags were read.
func flagProblem(cat *content.Catalog, err error, cmd *command) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		name = "--" + strings.TrimLeft(name, "-")
		if cmd != nil && known(strings.TrimLeft(name, "-")) {
			return cat.T("cli.flag-not-here", cmd.name, name, flagList(cmd))
		}
		return cat.T("cli.flag-unknown", name)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return cat.T("cli.flag-no-value", "--"+strings.TrimLeft(name, "-"))
	}
	if _, rest, ok := strings.Cut(msg, "value \""); ok && strings.HasPrefix(msg, "invalid ") {
		// A boolean flag's error reads `... for -auto: ...`, without "flag".
		if value, rest, ok := strings.Cut(rest, "\" for -"); ok && strings.HasPrefix(rest, "auto:") {
			return cat.T("cli.bad-delay", value)
		}
		if value, rest, ok := strings.Cut(rest, "\" for flag "); ok {
			name, _, _ := strings.Cut(rest, ":")
			return cat.T("cli.flag-bad-value", value, "--"+strings.TrimLeft(name, "-"))
		}
	}
	return cat.T("cli.bad-flag", msg)
}

// flagList is "--lang, --reset" for a command, or "-" when it takes none.
func flagList(cmd *command) string {
	if len(cmd.flags) == 0 {
		return "-"
	}
	var names []string
	for _, f := range cmd.flags {
		names = append(names, "--"+f)
	}
	return strings.Join(names, ", ")
}
