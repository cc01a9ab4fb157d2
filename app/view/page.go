package view

import (
	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
)

// Page is what every page's data embeds: the layout reads it.
type Page struct {
	Title     string
	Viewer    *accounts.Viewer // nil when nobody is signed in
	CSRFToken string           // for forms that change state
	Flash     string           // a one-line message shown above the content
	Undo      *UndoNotice      // an Undo button shown with the flash (after a delete)
	// outlook builds the Outlook connection panel, only when a page shows it (OutlookPanel).
	outlook func() *OutlookPanel
}

// NewPage fills the common page data for this request. panel builds the Outlook panel of a
// signed-in viewer when a page shows it; nil shows none.
func NewPage(c echo.Context, title string, panel func() *OutlookPanel) Page {
	p := Page{Title: title}
	if info, ok := accounts.AuthOf(c); ok {
		v := info.Viewer
		p.Viewer = &v
		p.CSRFToken = info.CSRFToken
		p.outlook = panel
	}
	return p
}

// MessagePage is the data of error.html: a page that says what went wrong and what to do.
type MessagePage struct {
	Page
	Heading string
	Message string
}

// OutlookPanel is the data of the Outlook panel on My Calendar.
type OutlookPanel struct {
	State      string // disconnected, connected, needs_reconnect
	Account    string // the mailbox's address
	LastSync   string // in the viewer's zone; "" before the first sync
	LastError  string
	ConnectURL string
	CSRFToken  string
}

// OutlookPanel is the panel for this page, or nil when Connect to Outlook is not available
// (sync switched off or not set up): then My Calendar shows nothing of it.
func (p Page) OutlookPanel() *OutlookPanel {
	if p.outlook == nil {
		return nil
	}
	return p.outlook()
}
