package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/mattn/go-runewidth"
	"github.com/sockstep/sockstep/content"
)

// cmdHelp prints help, made from the table of commands and the one
// description of each flag: sockstep help [COMMAND].
func cmdHelp(_ context.Context, c *cli, words []string) int {
	if len(words) == 0 {
		writeHelp(c.stdout, c.cat)
		return exitOK
	}
	cmd := lookup(words[0])
	if cmd == nil || len(words) > 1 {
		c.usageError(c.cat.T("cli.unknown-command", strings.Join(words, " ")))
		return exitUsage
	}
	if cmd.name == "help" || cmd.name == "menu" {
		writeHelp(c.stdout, c.cat)
		return exitOK
	}
	writeCommandHelp(c.stdout, c.cat, cmd)
	return exitOK
}

// usageLine is "sockstep NAME ARGS".
func usageLine(cat *content.Catalog, cmd *command) string {
	parts := []string{"sockstep"}
	if cmd.name != "menu" {
		parts = append(parts, cmd.name)
	}
	if key := "cmd." + cmd.name + ".args"; cat.Has(key) {
		parts = append(parts, cat.T(key))
	}
	return strings.Join(parts, " ")
}

// writeHelp is the overview: every command with its summary, then every
// flag with its description.
func writeHelp(w io.Writer, cat *content.Catalog) {
	fmt.Fprintf(w, "%s\n\n%s\n", cat.T("help.intro"), cat.T("help.usage"))
	var rows [][2]string
	for _, cmd := range commands {
		rows = append(rows, [2]string{usageLine(cat, cmd), cat.T("cmd." + cmd.name + ".summary")})
	}
	writeColumns(w, rows)
	fmt.Fprintf(w, "\n%s\n", cat.T("help.flags"))
	var all []string
	for _, f := range flagTable {
		all = append(all, f.name)
	}
	writeColumns(w, flagRows(cat, all))
	fmt.Fprintf(w, "\n%s\n", cat.T("help.footer"))
}

// writeCommandHelp is one command's usage, what it does, and its flags.
func writeCommandHelp(w io.Writer, cat *content.Catalog, cmd *command) {
	fmt.Fprintf(w, "%s\n\n%s\n", usageLine(cat, cmd), strings.TrimRight(cat.T("help."+cmd.name), "\n"))
	if len(cmd.flags) > 0 {
		fmt.Fprintf(w, "\n%s\n", cat.T("help.command-flags"))
		writeColumns(w, flagRows(cat, cmd.flags))
	}
}

// flagRows are "--name VALUE" and the flag's description.
func flagRows(cat *content.Catalog, names []string) [][2]string {
	var rows [][2]string
	for _, name := range names {
		left := "--" + name
		if cat.Has("flag." + name + ".arg") {
			left += " " + cat.T("flag."+name+".arg")
		}
		rows = append(rows, [2]string{left, cat.T("flag." + name)})
	}
	return rows
}

// writeColumns writes two columns, the second aligned by display width
// (Chinese characters take two columns).
func writeColumns(w io.Writer, rows [][2]string) {
	width := 0
	for _, r := range rows {
		width = max(width, runewidth.StringWidth(r[0]))
	}
	for _, r := range rows {
		fmt.Fprintf(w, "  %s%s  %s\n", r[0], strings.Repeat(" ", width-runewidth.StringWidth(r[0])), r[1])
	}
}
