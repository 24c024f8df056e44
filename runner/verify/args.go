package verify

import (
	"runtime"
	"strconv"
	"strings"
	"time"
)

// cmdArgs is a parsed `sockstep verify` command line.
type cmdArgs struct {
	exercise string
	timeout  time.Duration
	jsonFile string
	csvFile  string
	junit    string // --junit FILE: JUnit XML for CI runners
	batchDir string
	jobs     int
	command  []string // after "--"
	dashdash bool     // "--" was given
	help     bool
}

// usageError is a command line verify cannot use; key and args name the
// message in the catalog.
type usageError struct {
	key  string
	args []any
}

func (e *usageError) Error() string { return e.key }

func badUsage(key string, args ...any) error {
	return &usageError{key: "verify.usage." + key, args: args}
}

var knownFlags = map[string]bool{"timeout": true, "json": true, "csv": true, "junit": true, "batch": true, "j": true, "jobs": true}

// parseArgs reads EXERCISE [--timeout D] [--json FILE] [--csv FILE] [--junit FILE]
// [--batch DIR] [-j N] [-- CMD ARGS...]. Options may come before or after
// the exercise, as --name VALUE or --name=VALUE. It is written by hand
// rather than with package flag so that every message is the learner's
// language.
func parseArgs(args []string) (cmdArgs, error) {
	a := cmdArgs{jobs: runtime.NumCPU(), timeout: DefaultTimeout}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			a.dashdash = true
			a.command = args[i+1:]
			break
		}
		if arg == "-h" || arg == "--help" || arg == "-help" {
			a.help = true
			continue
		}
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			if a.exercise != "" {
				return a, badUsage("extra_arg", arg)
			}
			a.exercise = arg
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if !knownFlags[name] {
			return a, badUsage("unknown_flag", arg)
		}
		if !hasVal {
			if i+1 >= len(args) || args[i+1] == "--" {
				return a, badUsage("needs_value", arg)
			}
			i++
			val = args[i]
		}
		switch name {
		case "timeout":
			d, err := time.ParseDuration(val)
			if err != nil {
				secs, ferr := strconv.ParseFloat(val, 64)
				if ferr != nil {
					return a, badUsage("bad_timeout", val)
				}
				d = time.Duration(secs * float64(time.Second))
			}
			if d <= 0 {
				return a, badUsage("bad_timeout", val)
			}
			a.timeout = d
		case "json":
			a.jsonFile = val
		case "csv":
			a.csvFile = val
		case "junit":
			a.junit = val
		case "batch":
			a.batchDir = val
		case "j", "jobs":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 {
				return a, badUsage("bad_jobs", val)
			}
			a.jobs = n
		}
	}
	if a.help {
		return a, nil
	}
	switch {
	case a.exercise == "":
		return a, badUsage("no_exercise")
	case a.batchDir != "" && len(a.command) > 0:
		return a, badUsage("batch_and_command")
	case a.batchDir == "" && len(a.command) == 0:
		return a, badUsage("no_command")
	}
	return a, nil
}
