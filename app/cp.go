package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"intracal/app/view"
)

// The Control Panel is where site administrators change site-wide settings. Its routes are
// registered behind accounts.RequireAdmin, so a member gets 403 for every page and every form.

// cpPage is what every Control Panel page shares: the section navigation.
type cpPage struct {
	view.Page
	Section string // the nav entry that is current
	Nav     []cpNavItem
}

type cpNavItem struct {
	Group   string // "System"
	Label   string
	URL     string
	Current bool
}

// cpNavEntries are the Control Panel's pages; an entry whose route is not registered (a
// section another part of the app adds) is left out of the navigation.
func cpNavEntries() []cpNavItem {
	return []cpNavItem{
		{Group: "System", Label: "General Settings", URL: "/cp/general"},
		{Group: "System", Label: "System Properties", URL: "/cp/properties"},
		{Group: "System", Label: "Outlook connections", URL: "/cp/connections"},
		{Group: "Users", Label: "People", URL: "/cp/people"},
	}
}

// cpPageFor fills the Control Panel frame with section as the current entry.
func (a *App) cpPageFor(c echo.Context, title, section string) cpPage {
	p := cpPage{Page: a.pageWithFlash(c, title), Section: section}
	routes := map[string]bool{}
	for _, r := range c.Echo().Routes() {
		if r.Method == http.MethodGet {
			routes[r.Path] = true
		}
	}
	for _, n := range cpNavEntries() {
		if !routes[n.URL] {
			continue
		}
		n.Current = n.URL == section
		p.Nav = append(p.Nav, n)
	}
	return p
}

// cpHome opens the Control Panel at its first page.
func (a *App) cpHome(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, "/cp/general")
}
