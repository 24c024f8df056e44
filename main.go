// Command sockstep teaches UDP and TCP sockets one system call at a time,
// on real sockets, in Chinese or English.
//
//	sockstep                      menu of lessons
//	sockstep run tcp-server       one lesson, paused between steps
//	sockstep verify udp-send -- python3 my_sender.py
//
// The command line only: the flow is in package runner, the socket stages
// in package lessons, the words in package content. This file holds the
// table of commands and the table of flags; each command's work is in its
// own file (cmd_run.go, cmd_show.go, ...).
package main

import (
	"context"
	"flag"
	"io"
	"os"
	"slices"

	"github.com/sockstep/sockstep/lessons"
)

// Exit statuses. An interrupted run exits 128 + the signal's number
// (130 Ctrl-C, 129 a closed terminal, 143 kill): see signal.go.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

func main() {
	ctx, stop := signalContext(context.Background())
	go exitIfStuck(ctx)
	code := run(ctx, os.Args[1:], env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv,
	})
	stop()
	os.Exit(code)
}

// env is the outside world the command line talks to, so tests can give
// it another.
type env struct {
	stdin          *os.File
	stdout, stderr *os.File
	getenv         func(string) string
}

// command is one sockstep command, as cmd/go's base.Command: its words
// (summary, argument names, help) are content keys cmd.NAME.summary,
// cmd.NAME.args and help.NAME in both languages.
type command struct {
	name    string
	aliases []string
	// flags names the flags the command takes (keys of flagTable).
	// Giving a command one more flag is adding its name here.
	flags []string
	// customFlags: the command reads its own arguments (verify, whose
	// flags belong to package verify), as `go run` does in cmd/go; only
	// --lang is taken out first.
	customFlags bool
	run         func(ctx context.Context, c *cli, args []string) int
}

// shaping are the flags that shape how a lesson runs and looks: the menu,
// run and classroom take them all, and classroom passes them to its panes.
var shaping = []string{"lang", "auto", "port", "host", "style", "width", "lessons", "compact", "wire"}

// commands is every command, in the order help lists them (set in init:
// help reads the table it is in).
var commands []*command

func init() {
	commands = []*command{
		{name: "menu", flags: slices.Concat(shaping, []string{"pcap"}), run: cmdMenu},
		{name: "list", flags: []string{"lang", "width", "lessons"}, run: cmdList},
		{name: "run", flags: slices.Concat(shaping, []string{"step", "record", "role", "pcap"}), run: cmdRun},
		{name: "show", flags: []string{"lang", "port", "host", "style", "width", "lessons", "plain"}, run: cmdShow},
		{name: "steps", flags: []string{"lang"}, run: cmdSteps},
		{name: "lint", flags: []string{"lang"}, run: cmdLint},
		{name: "progress", flags: []string{"lang", "reset"}, run: cmdProgress},
		{name: "exercises", aliases: []string{"exercise"}, flags: []string{"lang", "style", "width", "plain", "solution"}, run: cmdExercises},
		{name: "verify", customFlags: true, run: cmdVerify},
		{name: "classroom", flags: shaping, run: cmdClassroom},
		{name: "help", flags: []string{"lang"}, run: cmdHelp},
	}
}

// opts holds the value of every flag; a command's FlagSet defines only
// the flags it takes, so the others keep their defaults.
type opts struct {
	lang     string
	auto     autoFlag
	host     string
	port     int
	portSet  bool // --port was given
	style    string
	width    int
	help     bool
	reset    bool
	solution bool
	plain    bool
	record   string
	step     int
	lessons  string
	role     string
	compact  bool
	wire     string // --wire on|off|auto (main_wire.go)
	pcap     string // --pcap FILE
}

// flagTable defines each flag once: its name, the word for its value in
// help (flag.NAME.arg, in content), and where it is stored. Its one
// description is content key flag.NAME. A new flag is one line here, its
// name in the commands that take it, and flag.NAME in both languages.
var flagTable = []struct {
	name   string
	define func(fs *flag.FlagSet, o *opts)
}{
	{"lang", func(fs *flag.FlagSet, o *opts) { fs.StringVar(&o.lang, "lang", "", "") }},
	{"auto", func(fs *flag.FlagSet, o *opts) { fs.Var(&o.auto, "auto", "") }},
	{"port", func(fs *flag.FlagSet, o *opts) { fs.IntVar(&o.port, "port", lessons.DefaultPort, "") }},
	{"host", func(fs *flag.FlagSet, o *opts) { fs.StringVar(&o.host, "host", defaultHost, "") }},
	{"style", func(fs *flag.FlagSet, o *opts) { fs.StringVar(&o.style, "style", "", "") }},
	{"width", func(fs *flag.FlagSet, o *opts) { fs.IntVar(&o.width, "width", 0, "") }},
	{"lessons", func(fs *flag.FlagSet, o *opts) { fs.StringVar(&o.lessons, "lessons", "", "") }},
	{"step", func(fs *flag.FlagSet, o *opts) { fs.IntVar(&o.step, "step", 1, "") }},
	{"record", func(fs *flag.FlagSet, o *opts) { fs.StringVar(&o.record, "record", "", "") }},
	{"role", func(fs *flag.FlagSet, o *opts) { fs.StringVar(&o.role, "role", "", "") }},
	{"compact", func(fs *flag.FlagSet, o *opts) { fs.BoolVar(&o.compact, "compact", false, "") }},
	{"plain", func(fs *flag.FlagSet, o *opts) { fs.BoolVar(&o.plain, "plain", false, "") }},
	{"reset", func(fs *flag.FlagSet, o *opts) { fs.BoolVar(&o.reset, "reset", false, "") }},
	{"solution", func(fs *flag.FlagSet, o *opts) { fs.BoolVar(&o.solution, "solution", false, "") }},
	{"wire", func(fs *flag.FlagSet, o *opts) { fs.StringVar(&o.wire, "wire", "auto", "") }},
	{"pcap", func(fs *flag.FlagSet, o *opts) { fs.StringVar(&o.pcap, "pcap", "", "") }},
}

const defaultHost = "127.0.0.1"

// defaultOpts are the values of flags a command does not take.
func defaultOpts() opts {
	return opts{host: defaultHost, port: lessons.DefaultPort, step: 1, wire: "auto"}
}

// run is sockstep with its arguments: it finds the command, parses the
// flags that command takes, and runs it.
func run(ctx context.Context, args []string, e env) int {
	name, rest, err := splitCommand(args)
	cmd := lookup(name)
	if err != nil || cmd == nil {
		c := newCLI(e, langArg(args))
		if err == nil {
			c.usageError(c.cat.T("cli.unknown-command", name))
		} else {
			c.usageError(flagProblem(c.cat, err, nil))
		}
		return exitUsage
	}
	if cmd.customFlags {
		lang, rest := takeLang(rest)
		c := newCLI(e, lang)
		if !c.langOK() {
			return exitUsage
		}
		return cmd.run(ctx, c, rest)
	}
	o, words, err := parseFlags(cmd, rest)
	c := newCLI(e, o.lang)
	if err != nil {
		if o.lang == "" {
			c = newCLI(e, langArg(args)) // parsing stopped before --lang
		}
		c.usageError(flagProblem(c.cat, err, cmd))
		return exitUsage
	}
	if !c.langOK() {
		return exitUsage
	}
	c.o = o
	if o.help {
		return cmdHelp(ctx, c, []string{cmd.name})
	}
	return cmd.run(ctx, c, words)
}

// lookup finds a command by name or alias; "" is the menu.
func lookup(name string) *command {
	if name == "" {
		name = "menu"
	}
	for _, c := range commands {
		if c.name == name {
			return c
		}
		for _, a := range c.aliases {
			if a == name {
				return c
			}
		}
	}
	return nil
}

// newFlagSet defines the flags a command takes (every flag for cmd nil),
// and -h/--help.
func newFlagSet(cmd *command, o *opts) *flag.FlagSet {
	fs := flag.NewFlagSet("sockstep", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&o.help, "help", false, "")
	fs.BoolVar(&o.help, "h", false, "")
	for _, f := range flagTable {
		if cmd == nil || takes(cmd, f.name) {
			f.define(fs, o)
		}
	}
	return fs
}
