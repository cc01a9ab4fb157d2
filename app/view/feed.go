package view

import "html/template"

// FeedLinks are a person's calendar feed addresses, for the settings page; On is false
// while the feed is off.
type FeedLinks struct {
	On    bool
	HTTPS string
	// Webcal is the webcal:// address, which html/template would not link to as a plain
	// string; it is built from the site's address and the token, nothing a person typed.
	Webcal  template.URL
	Private string // busy or hidden
}
