// Package templates holds the html/template pages of the web app, embedded in the program.
//
// layout.html defines the page frame ("layout"); every other .html file here is one page that
// calls {{template "layout" .}} and defines "title" and "content". partials/ holds the pieces
// pages share (the calendar toolbar, the Control Panel navigation, the event form's repeat
// builder, the Outlook panel). A fragment_*.html file is not a page but a piece of one that a
// page's script fetches and inserts (the calendar's quick card): it has no frame. The app parses each page with the layout and the partials at
// start-up, so a broken template stops the program at once, not at the first visitor.
package templates

import (
	"embed"
	"io/fs"
)

//go:embed *.html partials/*.html
var files embed.FS

// FS returns the embedded templates.
func FS() fs.FS { return files }
