package content

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Catalog is the set of short messages (prompts, labels, errors, help) in
// one language. Messages live in content/text/LANG/*.json as flat objects of
// key to fmt format string; several files are merged so that each part of
// the program can keep its words in its own file.
//
// core.json is read at the first message (or by Preload); the other
// files when a key is not in it (restFiles). Most commands start, print
// and end with core's words alone, and reading every file was a good part
// of their start, so core.json holds only the words every command may
// need: the command line's (cli, cmd, flag), the menu's, a step's heading
// and calls. A lesson's run has its words in run.json (the kernel's
// errors, the other party, socket facts, prompts, timelines), the help
// pages theirs in help.json.
type Catalog struct {
	lang Lang
	core func() (map[string]string, error) // core.json, read once
	rest *restFiles                        // every other file, read as needed
}

// catalogs holds each language's catalog, made the first time it is
// asked for: a command reads one language, and parsing the other's files
// would only slow its start.
var catalogs sync.Map // Lang → *Catalog

// Text returns the catalog for lang (English for a language we do not
// have). Its files are read when a message is first asked for. The
// embedded catalogs are checked by the package tests, so a failure to
// read them is a build defect and panics then.
func Text(lang Lang) *Catalog {
	if !slices.Contains(Langs, lang) {
		lang = English
	}
	if c, ok := catalogs.Load(lang); ok {
		return c.(*Catalog)
	}
	c, _ := catalogs.LoadOrStore(lang, newCatalog(files, lang))
	return c.(*Catalog)
}

// Preload reads core.json now, unless it has been read: a command calls
// it in a goroutine of its own as soon as it knows the language, so that
// parsing the file overlaps the command's other work before its first
// message (for `sockstep show`, reading the lesson) instead of coming
// before it.
func (c *Catalog) Preload() { c.core() }

// loadCatalogs reads every file of every language at once (the tests'
// check of the files).
func loadCatalogs(fsys fs.FS) (map[Lang]*Catalog, error) {
	out := map[Lang]*Catalog{}
	for _, l := range Langs {
		c := newCatalog(fsys, l)
		_, err := c.core()
		if err == nil {
			_, err = c.rest.all()
		}
		if err != nil {
			return nil, err
		}
		out[l] = c
	}
	return out, nil
}

// newCatalog prepares the reading of language l's files: core.json, and
// the others, which also checks that no key is defined twice.
func newCatalog(fsys fs.FS, l Lang) *Catalog {
	dir := path.Join("text", string(l))
	c := &Catalog{lang: l}
	c.core = sync.OnceValues(func() (map[string]string, error) {
		core := map[string]string{}
		if err := readMessages(fsys, path.Join(dir, "core.json"), core, nil); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return core, nil
	})
	c.rest = &restFiles{fsys: fsys, dir: dir, lang: l, core: c.core}
	return c
}

// restFiles are a language's message files other than core.json, read
// one at a time, the smallest first, until the key asked for is found. A
// lesson with an experiment asks for a word or two of experiments.json or
// its own exp-NAME.json, and reading verify's and the authors' large
// files too was most of `sockstep show`'s reading for it. A key no file
// has reads them all. Safe for concurrent use.
type restFiles struct {
	fsys fs.FS
	dir  string
	lang Lang
	core func() (map[string]string, error)

	mu      sync.Mutex
	listed  bool
	pending []string          // files not read yet, smallest first
	msgs    map[string]string // the messages of the files read
	err     error             // why a file could not be read; sticks
}

// lookup returns key's message, reading files until one has it.
func (r *restFiles) lookup(key string) (string, bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for {
		if f, ok := r.msgs[key]; ok || r.err != nil {
			return f, ok, r.err
		}
		if !r.readNext() {
			return "", false, r.err
		}
	}
}

// all reads every file not read yet and returns all their messages.
func (r *restFiles) all() (map[string]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.readNext() {
	}
	return r.msgs, r.err
}

// readNext reads the next file, listing them first; it reports whether
// one was read. The caller holds r.mu.
func (r *restFiles) readNext() bool {
	if r.err != nil {
		return false
	}
	if !r.listed {
		r.listed, r.msgs = true, map[string]string{}
		r.pending, r.err = bySize(r.fsys, path.Join(r.dir, "*.json"), "core.json")
		if r.err != nil {
			return false
		}
	}
	if len(r.pending) == 0 {
		return false
	}
	name := r.pending[0]
	r.pending = r.pending[1:]
	core, err := r.core()
	if err == nil {
		err = readMessages(r.fsys, name, r.msgs, core)
		if err != nil {
			err = fmt.Errorf("%w for %s (second time in %s)", err, r.lang, name)
		}
	}
	r.err = err
	return err == nil
}

// bySize lists the files matching pattern but skip, smallest first (by
// name when two have the same size).
func bySize(fsys fs.FS, pattern, skip string) ([]string, error) {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, err
	}
	names = slices.DeleteFunc(names, func(n string) bool { return path.Base(n) == skip })
	size := map[string]int64{}
	for _, n := range names {
		fi, err := fs.Stat(fsys, n)
		if err != nil {
			return nil, err
		}
		size[n] = fi.Size()
	}
	slices.SortStableFunc(names, func(a, b string) int { return cmp.Compare(size[a], size[b]) })
	return names, nil
}

// readMessages adds the messages of file name to into; a key already in
// into or in also is an error.
func readMessages(fsys fs.FS, name string, into, also map[string]string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("message file %s is not valid JSON: %w", name, err)
	}
	for k, v := range m {
		_, dup := into[k]
		_, dup2 := also[k]
		if dup || dup2 {
			return fmt.Errorf("message %q is defined twice", k)
		}
		into[k] = v
	}
	return nil
}

// msg looks key up: in core.json, then in the other files.
func (c *Catalog) msg(key string) (string, bool) {
	core, err := c.core()
	if err != nil {
		panic(err) // the embedded files are checked by the tests
	}
	if f, ok := core[key]; ok {
		return f, true
	}
	f, ok, err := c.rest.lookup(key)
	if err != nil {
		panic(err) // the embedded files are checked by the tests
	}
	return f, ok
}

// Lang reports the catalog's language.
func (c *Catalog) Lang() Lang { return c.lang }

// T formats the message key with args. A missing key is shown as «key» so
// that a gap is visible rather than silent; the parity test keeps it from
// happening in a release.
func (c *Catalog) T(key string, args ...any) string {
	f, ok := c.msg(key)
	if !ok {
		return "«" + key + "»"
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}

// TakesArgs reports whether the message key has formatting verbs, for
// callers that have an argument to offer only where it is wanted.
func (c *Catalog) TakesArgs(key string) bool {
	f, _ := c.msg(key)
	return strings.Contains(f, "%")
}

// Has reports whether the catalog defines key.
func (c *Catalog) Has(key string) bool {
	_, ok := c.msg(key)
	return ok
}

// Keys returns every key in the catalog, sorted.
func (c *Catalog) Keys() []string {
	core, _ := c.core()
	rest, _ := c.rest.all()
	keys := make([]string, 0, len(core)+len(rest))
	for k := range core {
		keys = append(keys, k)
	}
	for k := range rest {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
