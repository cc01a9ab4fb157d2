package outlook

import (
	"intracal/app/view"
)

// Pages is the Outlook pages and forms: Connect to Outlook and its callback, the panel's
// Disconnect and Sync now, and the sync page.
type Pages struct {
	pages *view.Renderer
	view  view.Frame
	o     *Outlook
	sync  *Sync
}

// NewPages is the Outlook pages of the wiring o and the sync.
func NewPages(pages *view.Renderer, fr view.Frame, o *Outlook, sync *Sync) *Pages {
	return &Pages{pages: pages, view: fr, o: o, sync: sync}
}

// API is the Outlook part of the JSON API: the caller's connection (status, disconnect, sync
// now, the sync's status) and the administrators' list of every connection.
type API struct {
	o    *Outlook
	sync *Sync
}

// NewAPI is the Outlook API of the wiring o and the sync.
func NewAPI(o *Outlook, sync *Sync) *API { return &API{o: o, sync: sync} }
