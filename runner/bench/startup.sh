#!/usr/bin/env bash
# startup.sh: how long `sockstep show LESSON` takes from process start to
# exit, against glow v2.1.1 (charmbracelet's Markdown viewer, the same
# glamour renderer) rendering the same lesson file. Both run with no
# terminal (output to /dev/null), alternately, RUNS times each; the
# median wall times and their ratio are printed.
#
#   runner/bench/startup.sh [LESSON] [RUNS]     (default: tcp-server 41)
#
# glow is built once in a temporary module (kept in the user's cache, so
# a second run starts at once); it needs the Go module proxy the first time.
set -euo pipefail
cd "$(dirname "$0")/../.."
lesson=${1:-tcp-server}
runs=${2:-41}
file=content/lessons/en/$lesson.md
[ -f "$file" ] || { echo "no lesson file $file" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cache=${XDG_CACHE_HOME:-$HOME/.cache}/sockstep-bench/glow-v2.1.1
if [ ! -x "$cache/glow" ]; then
  echo "building glow v2.1.1 in $cache ..." >&2
  mkdir -p "$cache"
  (cd "$cache" && { [ -f go.mod ] || go mod init glowbench >/dev/null 2>&1; } &&
    GOFLAGS=-mod=mod go get github.com/charmbracelet/glow/v2@v2.1.1 >/dev/null 2>&1 &&
    go build -o glow github.com/charmbracelet/glow/v2)
fi
go build -o "$work/sockstep" .

# The timer: a tiny Go program, so both commands are started the same way.
mkdir -p "$work/timer"
cat > "$work/timer/main.go" <<'GO'
package main

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// usage: timer RUNS -- CMD_A... -- CMD_B...
func main() {
	runs, _ := strconv.Atoi(os.Args[1])
	rest := strings.Join(os.Args[3:], "\x00")
	a, b, _ := strings.Cut(rest, "\x00--\x00")
	cmds := [][]string{strings.Split(a, "\x00"), strings.Split(b, "\x00")}
	times := make([][]float64, 2)
	cpu := make([][]float64, 2) // user + system time: steadier on a busy machine
	for i := 0; i < runs+2; i++ { // two warm-up rounds are not counted
		for j, argv := range cmds {
			c := exec.Command(argv[0], argv[1:]...)
			c.Env = append(os.Environ(), "LANG=C", "TERM=dumb")
			start := time.Now()
			if err := c.Run(); err != nil {
				fmt.Fprintln(os.Stderr, strings.Join(argv, " "), err)
				os.Exit(1)
			}
			if i >= 2 {
				times[j] = append(times[j], float64(time.Since(start).Microseconds())/1000)
				cpu[j] = append(cpu[j], float64((c.ProcessState.UserTime()+c.ProcessState.SystemTime()).Microseconds())/1000)
			}
		}
	}
	med := func(x []float64) float64 { slices.Sort(x); return x[len(x)/2] }
	ma, mb := med(times[0]), med(times[1])
	ca, cb := med(cpu[0]), med(cpu[1])
	fmt.Printf("median of %d runs: wall sockstep %.1f ms, glow %.1f ms, ratio %.2f; cpu sockstep %.1f ms, glow %.1f ms, ratio %.2f\n", runs, ma, mb, ma/mb, ca, cb, ca/cb)
}
GO
(cd "$work/timer" && go mod init timer >/dev/null 2>&1 && go build -o ../timer-bin .)
echo "sockstep show $lesson  vs  glow $file" >&2
"$work/timer-bin" "$runs" -- "$work/sockstep" show "$lesson" --lang en -- "$cache/glow" "$file"
