// Package view is what every page shares, so that the pages and the Control Panel render
// without importing each other: the common page data (Page, with the Outlook panel it may
// show), the renderer of the embedded templates, the static files, and the flash message
// that survives a post/redirect/get.
package view
