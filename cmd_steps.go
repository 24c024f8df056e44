package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/lessons"
)

// cmdSteps lists the step vocabulary with arguments and an example.
func cmdSteps(_ context.Context, c *cli, words []string) int {
	if len(words) > 0 {
		c.usageError(c.cat.T("cli.no-words", "steps", words[0]))
		return exitUsage
	}
	var b strings.Builder
	fmt.Fprintln(&b, c.cat.T("steps.title"))
	printSpecs(&b, c.cat, lessons.Specs(), "step.doc.", "")
	if exps := lessons.Experiments(); len(exps) > 0 {
		fmt.Fprintf(&b, "\n%s\n", c.cat.T("steps.experiments"))
		printSpecs(&b, c.cat, exps, "experiment.doc.", "experiment ")
	}
	fmt.Fprintf(&b, "\n%s\n", c.cat.T("steps.common"))
	text := b.String()
	// On a terminal, filled to its width as the help pages are; into a
	// pipe, each entry stays on its lines for grep.
	if w := termWidth(c.stdout); w > 0 {
		text = fillHelp(text, w)
	}
	fmt.Fprint(c.stdout, text)
	return exitOK
}

// printSpecs lists step directives: name, what it does, its arguments and
// an example. prefix is written before each name ("experiment ").
func printSpecs(w io.Writer, cat *content.Catalog, specs []*lessons.Spec, docKey, prefix string) {
	for _, sp := range specs {
		fmt.Fprintf(w, "\n%s%s\n  %s\n", prefix, sp.Action, cat.T(docKey+sp.Action))
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
			fmt.Fprintf(w, "  %s %s%s %s\n", cat.T("steps.args"), prefix, sp.Action, strings.Join(args, " "))
		}
		fmt.Fprintf(w, "  %s <!-- step: %s -->\n", cat.T("steps.example"), sp.Example)
	}
}
