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
	width := helpWidth(c.stdout)
	if len(words) == 0 {
		writeHelp(c.stdout, c.cat, width)
		return exitOK
	}
	cmd := lookup(words[0])
	if cmd == nil || len(words) > 1 {
		c.usageError(c.cat.T("cli.unknown-command", strings.Join(words, " ")))
		return exitUsage
	}
	if cmd.name == "help" || cmd.name == "menu" {
		writeHelp(c.stdout, c.cat, width)
		return exitOK
	}
	writeCommandHelp(c.stdout, c.cat, cmd, width)
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
// flag with its description, filled to width.
func writeHelp(w io.Writer, cat *content.Catalog, width int) {
	fmt.Fprintf(w, "%s\n%s", fillHelp(cat.T("help.intro"), width), fillHelp(cat.T("help.usage"), width))
	var rows [][2]string
	for _, cmd := range commands {
		rows = append(rows, [2]string{usageLine(cat, cmd), cat.T("cmd." + cmd.name + ".summary")})
	}
	writeColumns(w, rows, width)
	fmt.Fprintf(w, "\n%s", fillHelp(cat.T("help.flags"), width))
	var all []string
	for _, f := range flagTable {
		all = append(all, f.name)
	}
	writeColumns(w, flagRows(cat, all), width)
	fmt.Fprintf(w, "\n%s", fillHelp(cat.T("help.footer"), width))
}

// writeCommandHelp is one command's usage, what it does, and its flags,
// filled to width.
func writeCommandHelp(w io.Writer, cat *content.Catalog, cmd *command, width int) {
	fmt.Fprintf(w, "%s\n\n%s", usageLine(cat, cmd), fillHelp(cat.T("help."+cmd.name), width))
	if len(cmd.flags) > 0 {
		fmt.Fprintf(w, "\n%s", fillHelp(cat.T("help.command-flags"), width))
		writeColumns(w, flagRows(cat, cmd.flags), width)
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
// (Chinese characters take two columns), each row filled to width with
// its further lines under the second column.
func writeColumns(w io.Writer, rows [][2]string, width int) {
	col := 0
	for _, r := range rows {
		col = max(col, runewidth.StringWidth(r[0]))
	}
	for _, r := range rows {
		line := fmt.Sprintf("  %s%s  %s", r[0], strings.Repeat(" ", col-runewidth.StringWidth(r[0])), r[1])
		for _, l := range hang(line, width) {
			fmt.Fprintln(w, l)
		}
	}
}
