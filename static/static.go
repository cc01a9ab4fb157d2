// Package static holds the stylesheets, scripts and icons of the web app, embedded in the
// program and served under /static/ with long caching (their URLs carry a content hash).
package static

import (
	"embed"
	"io/fs"
)

//go:embed *.css *.js *.svg
var files embed.FS

// FS returns the embedded files.
func FS() fs.FS { return files }
