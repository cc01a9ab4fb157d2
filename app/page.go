package app

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
	// outlook builds the Outlook connection panel, only when a page shows it (OutlookPanel).
	outlook func() *OutlookPanel
}

// page fills the common page data for this request.
func (a *App) page(c echo.Context, title string) Page {
	p := Page{Title: title}
	if info, ok := accounts.AuthOf(c); ok {
		v := info.Viewer
		p.Viewer = &v
		p.CSRFToken = info.CSRFToken
		p.outlook = a.outlookPanelFor(c)
	}
	return p
}
