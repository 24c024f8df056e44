package verify

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sockstep/sockstep/content"
	"github.com/sockstep/sockstep/runner/escape"
)

// maxShown is how many characters of a value the report shows.
const maxShown = 160

// showValue renders one side of a Difference for a learner: untrusted bytes
// escaped (escape.String turns control characters, ANSI escapes and
// invalid UTF-8 into visible text), codes translated.
func showValue(cat *content.Catalog, v any) string {
	switch x := v.(type) {
	case nil:
		return cat.T("verify.value.missing")
	case string:
		return showText(cat, x)
	case bool:
		if x {
			return cat.T("verify.value.closed")
		}
		return cat.T("verify.value.open")
	case Exit:
		return showExit(cat, x)
	case Threads:
		if x == threadsPerClient {
			return cat.T("verify.value.threads_per_client")
		}
		return cat.T("verify.value.threads_steady", len(pollClients))
	case ConnFacts:
		closed := showValue(cat, x.Closed)
		switch {
		case x.Refused:
			return cat.T("verify.value.conn_refused")
		case x.Upload:
			return cat.T("verify.value.conn_upload", closed)
		}
		if x.FromProgram == "" {
			return cat.T("verify.value.conn_nothing", closed)
		}
		return cat.T("verify.value.conn", showText(cat, x.FromProgram), closed)
	case FileFacts:
		return cat.T("verify.value.file", x.Prefix, x.Length, x.SHA256)
	case int:
		return strconv.Itoa(x)
	}
	return escape.String(fmt.Sprint(v))
}

// extraLine reports a difference that is a line of output the contract
// does not have (a banner, a second print, an empty line at the end).
func extraLine(d Difference) bool {
	return d.Label == "verify.label.extra_empty_line" ||
		(d.Label == "verify.label.stdout_line" || d.Label == "verify.label.datagram") && d.Want == nil && d.Got != nil
}

// showLine renders a line of the program's output as the learner's
// terminal showed it: escaped (a line holds no newline, and control
// characters still show as \r, \x1b…), but a backslash the program printed
// stays single, so print(data) of bytes reads b'OK 100000\n' as it did.
func showLine(cat *content.Catalog, s string) string {
	if s == "" {
		return cat.T("verify.value.empty_line")
	}
	e := strings.ReplaceAll(escape.String(s), `\\`, `\`)
	if r := []rune(e); len(r) > maxShown {
		return cat.T("verify.value.text_long", string(r[:maxShown]), len(s))
	}
	return cat.T("verify.value.text", e)
}

// showGot renders the observed side of d. A connection that never
// happened is said to be one; with a server, that is because nothing
// listened at PORT (the first) or because verify's clients stop at the
// first problem (the others).
func showGot(cat *content.Catalog, d Difference, r *Result) string {
	if d.Got == nil && d.Label == "verify.label.conn" {
		ex := registry[r.Exercise]
		switch {
		case ex != nil && ex.server && r.Obs != nil && !r.Obs.Reached:
			return cat.T("verify.value.never_listened")
		case ex != nil && ex.server:
			return cat.T("verify.value.no_client")
		}
		return cat.T("verify.value.no_conn")
	}
	if x, ok := d.Got.(string); ok && (d.Label == "verify.label.stdout_line" || d.Label == "verify.label.extra_empty_line") {
		return showLine(cat, x)
	}
	return showValue(cat, d.Got)
}

// showText quotes escaped text, so that spaces at either end are seen,
// and shortens it past maxShown characters.
func showText(cat *content.Catalog, s string) string {
	if s == "" {
		return cat.T("verify.value.empty")
	}
	e := escape.String(s)
	if r := []rune(e); len(r) > maxShown {
		return cat.T("verify.value.text_long", string(r[:maxShown]), len(s))
	}
	return cat.T("verify.value.text", e)
}

func showExit(cat *content.Catalog, e Exit) string {
	switch {
	case e == "":
		return cat.T("verify.exit.not_started")
	case e == exitRunning:
		return cat.T("verify.exit.running")
	case e == exitTimeout:
		return cat.T("verify.exit.timeout")
	case e == exitFlooded:
		return cat.T("verify.exit.flooded")
	case strings.HasPrefix(string(e), "signal:"):
		return cat.T("verify.exit.signal", escape.String(strings.TrimPrefix(string(e), "signal:")))
	case strings.HasPrefix(string(e), "exit:"):
		n, _ := strconv.Atoi(strings.TrimPrefix(string(e), "exit:"))
		return cat.T("verify.exit.code", n)
	}
	return escape.String(string(e))
}

// showLabel names the place of a Difference.
func showLabel(cat *content.Catalog, d Difference) string {
	switch {
	case d.Label == "verify.label.extra_empty_line":
		return cat.T(d.Label)
	case extraLine(d) && d.Label == "verify.label.datagram":
		return cat.T("verify.label.extra_datagram", d.Index)
	case extraLine(d):
		return cat.T("verify.label.extra_line", d.Index)
	}
	if d.Index > 0 {
		return cat.T(d.Label, d.Index)
	}
	return cat.T(d.Label)
}

// showHint renders a hint in the learner's language.
// String arguments (commands, addresses, error text) are escaped too.
func showHint(cat *content.Catalog, h Hint) string {
	args := make([]any, len(h.Args))
	for i, a := range h.Args {
		switch v := a.(type) {
		case string:
			a = escape.String(v)
		case catText:
			a = cat.T(v.key, v.args...)
		}
		args[i] = a
	}
	if h.Lang != "" && cat.Has(h.Key+"."+h.Lang) {
		return cat.T(h.Key+"."+h.Lang, args...)
	}
	return cat.T(h.Key, args...)
}
