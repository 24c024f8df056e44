package main

import (
	"fmt"
	"strings"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
	"github.com/sockstep/sockstep/runner/lint"
)

// cmdLint checks instructors' lesson files; exit status 1 when any has a
// problem, so it can guard a course repository's CI.
func cmdLint(files []string, lang content.Lang, e env) int {
	cat := content.Text(lang)
	if len(files) == 0 {
		fmt.Fprintln(e.stderr, cat.T("cli.need-files"))
		return exitUsage
	}
	problems, bad := 0, 0
	for _, f := range files {
		ps := lint.File(f)
		for _, p := range ps {
			fmt.Fprintln(e.stdout, lint.Format(cat, p))
		}
		if len(ps) > 0 {
			problems += len(ps)
			bad++
		}
	}
	if problems > 0 {
		fmt.Fprintln(e.stdout, cat.T("lint.found", problems, bad))
		return exitFail
	}
	fmt.Fprintln(e.stdout, cat.T("lint.ok", len(files)))
	return exitOK
}

// cmdSteps lists the step vocabulary with arguments and an example.
func cmdSteps(lang content.Lang, e env) int {
	cat := content.Text(lang)
	fmt.Fprintln(e.stdout, cat.T("steps.title"))
	printSpecs(e, cat, lessons.Specs(), "step.doc.", "")
	if exps := lessons.Experiments(); len(exps) > 0 {
		fmt.Fprintf(e.stdout, "\n%s\n", cat.T("steps.experiments"))
		printSpecs(e, cat, exps, "experiment.doc.", "experiment ")
	}
	fmt.Fprintf(e.stdout, "\n%s\n", cat.T("steps.common"))
	return exitOK
}

// printSpecs lists step directives: name, what it does, its arguments and
// an example. prefix is written before each name ("experiment ").
func printSpecs(e env, cat *content.Catalog, specs []*lessons.Spec, docKey, prefix string) {
	for _, sp := range specs {
		fmt.Fprintf(e.stdout, "\n%s%s\n  %s\n", prefix, sp.Action, cat.T(docKey+sp.Action))
		var args []string
		for _, p := range sp.Params {
			a := p.Name
			if !p.Positional {
				a += "="
				switch {
				case len(p.Values) > 0:
					a += strings.Join(p.Values, "|")
				case p.Default != "":
					a += p.Default // the value when left out
				default:
					a += "…"
				}
			} else if len(p.Values) > 0 {
				a = strings.Join(p.Values, "|")
			} else {
				a = strings.ToUpper(a)
			}
			if p.Variadic {
				a += "..." // inspect a b c
			}
			if !p.Required {
				a = "[" + a + "]"
			}
			args = append(args, a)
		}
		if len(args) > 0 {
			fmt.Fprintf(e.stdout, "  %s %s%s %s\n", cat.T("steps.args"), prefix, sp.Action, strings.Join(args, " "))
		}
		fmt.Fprintf(e.stdout, "  %s <!-- step: %s -->\n", cat.T("steps.example"), sp.Example)
	}
}

// plainMarkdown is a lesson's text as Markdown, without its directives:
// `sockstep show LESSON --plain > handout.md`.
func plainMarkdown(l *content.Lesson) string {
	return strings.TrimSpace(l.Markdown(nil)) + "\n"
}
