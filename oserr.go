package main

import "github.com/sockstep/sockstep/content"

// osText says in cat's language why a file could not be opened or
// written (content.OSText, which the progress file's warnings share).
func osText(cat *content.Catalog, err error) string { return content.OSText(cat, err) }
