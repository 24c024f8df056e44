package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner/progress"
	"github.com/sockstep/sockstep/runner/verify"
)

// runVerify hands `sockstep verify ...` to package verify, which reads its
// own flags (--timeout, --batch, -j, --json, --csv); only the language is
// decided here, from --lang or the locale. A pass is recorded as progress.
func runVerify(ctx context.Context, args []string, e env) int {
	lang := content.DetectLang(e.getenv)
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		switch {
		case (a == "--lang" || a == "-lang") && i+1 < len(args):
			l, ok := content.ParseLang(args[i+1])
			if !ok {
				fmt.Fprintln(e.stderr, content.Text(lang).T("cli.bad-lang", args[i+1]))
				return exitUsage
			}
			lang = l
			i++
		case len(a) > 7 && (a[:7] == "--lang=" || a[:6] == "-lang="):
			v := a[len("--lang="):]
			if a[1] != '-' {
				v = a[len("-lang="):]
			}
			l, ok := content.ParseLang(v)
			if !ok {
				fmt.Fprintln(e.stderr, content.Text(lang).T("cli.bad-lang", v))
				return exitUsage
			}
			lang = l
		default:
			rest = append(rest, a)
		}
	}
	return verify.Command(ctx, rest, e.stdin, e.stdout, e.stderr, lang, func(id string) {
		if path, err := progress.DefaultPath(); err == nil {
			if err := progress.MarkExercise(path, id); err != nil { // a convenience, never a failure
				fmt.Fprintln(e.stderr, progress.Warning(content.Text(lang), err))
			}
		}
		fmt.Fprintln(e.stdout, content.Text(lang).T("cli.passed-next", id))
	})
}

// cmdExercises lists the exercises, or with an id shows its task; with
// --solution it shows the reference solution, once the learner has passed.
func cmdExercises(f flags, words []string, lang content.Lang, e env) int {
	cat := content.Text(lang)
	if len(words) == 0 {
		if err := verify.List(e.stdout, lang); err != nil {
			fmt.Fprintln(e.stderr, err)
			return exitFail
		}
		return exitOK
	}
	id := words[0]
	ex, err := content.FindExercise(lang, id)
	if err != nil || ex == nil {
		fmt.Fprintln(e.stderr, cat.T("cli.unknown-exercise", id))
		fmt.Fprintln(e.stderr, cat.T("cli.exercises-are", strings.Join(verify.IDs(), ", ")))
		return exitUsage
	}
	if f.solution {
		return showSolution(id, cat, e)
	}
	return cmdShow(f, lang, ex, e)
}

func showSolution(id string, cat *content.Catalog, e env) int {
	path, err := progress.DefaultPath()
	passed := false
	if err == nil {
		if st, err := progress.Load(path); err == nil {
			_, passed = st.Exercises[id]
		}
	}
	if !passed {
		fmt.Fprintln(e.stderr, cat.T("cli.solution-locked", id))
		return exitFail
	}
	src, err := content.Solution(id)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return exitFail
	}
	fmt.Fprint(e.stdout, src)
	return exitOK
}

// isExercise reports whether id names an exercise.
func isExercise(id string) bool { return slices.Contains(verify.IDs(), id) }
