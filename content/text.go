package content

import (
	"encoding/json"
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
type Catalog struct {
	lang Lang
	msgs map[string]string
}

// catalogs holds each language's catalog, loaded the first time it is
// asked for: a command reads one language, and parsing the other's files
// would only slow its start.
var catalogs sync.Map // Lang → func() (*Catalog, error)

// Text returns the catalog for lang (English for a language we do not
// have). The embedded catalogs are checked by the package tests, so a
// failure to load them is a build defect and panics.
func Text(lang Lang) *Catalog {
	if !slices.Contains(Langs, lang) {
		lang = English
	}
	load, _ := catalogs.LoadOrStore(lang, sync.OnceValues(func() (*Catalog, error) { return loadCatalog(files, lang) }))
	c, err := load.(func() (*Catalog, error))()
	if err != nil {
		panic(err)
	}
	return c
}

func loadCatalogs(fsys fs.FS) (map[Lang]*Catalog, error) {
	out := map[Lang]*Catalog{}
	for _, l := range Langs {
		c, err := loadCatalog(fsys, l)
		if err != nil {
			return nil, err
		}
		out[l] = c
	}
	return out, nil
}

func loadCatalog(fsys fs.FS, l Lang) (*Catalog, error) {
	c := &Catalog{lang: l, msgs: map[string]string{}}
	names, err := fs.Glob(fsys, path.Join("text", string(l), "*.json"))
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("message file %s is not valid JSON: %w", name, err)
		}
		for k, v := range m {
			if _, dup := c.msgs[k]; dup {
				return nil, fmt.Errorf("message %q is defined twice for %s (second time in %s)", k, l, name)
			}
			c.msgs[k] = v
		}
	}
	return c, nil
}

// Lang reports the catalog's language.
func (c *Catalog) Lang() Lang { return c.lang }

// T formats the message key with args. A missing key is shown as «key» so
// that a gap is visible rather than silent; the parity test keeps it from
// happening in a release.
func (c *Catalog) T(key string, args ...any) string {
	f, ok := c.msgs[key]
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
	return strings.Contains(c.msgs[key], "%")
}

// Has reports whether the catalog defines key.
func (c *Catalog) Has(key string) bool {
	_, ok := c.msgs[key]
	return ok
}

// Keys returns every key in the catalog, sorted.
func (c *Catalog) Keys() []string {
	keys := make([]string, 0, len(c.msgs))
	for k := range c.msgs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
