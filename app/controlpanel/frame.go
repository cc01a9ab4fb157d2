package controlpanel

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"intracal/app/view"
)

// page is what every Control Panel page shares: the section navigation.
type page struct {
	view.Page
	Section string // the nav entry that is current
	Nav     []navItem
}

type navItem struct {
	Group   string // "System"
	Label   string
	URL     string
	Current bool
}

// navEntries are the Control Panel's pages; an entry whose route is not registered (a
// section another part of the app adds) is left out of the navigation.
func navEntries() []navItem {
	return []navItem{
		{Group: "System", Label: "General Settings", URL: "/cp/general"},
		{Group: "System", Label: "System Properties", URL: "/cp/properties"},
		{Group: "System", Label: "Sign-in", URL: "/cp/signin"},
		{Group: "System", Label: "Outlook connections", URL: "/cp/connections"},
		{Group: "Users", Label: "People", URL: "/cp/people"},
		{Group: "Users", Label: "Contact lists", URL: "/cp/contacts"},
		{Group: "Spaces", Label: "Spaces", URL: "/cp/spaces"},
	}
}

// frame is what every Control Panel handler holds to render its pages.
type frame struct {
	pages *view.Renderer
	view  view.Frame
}

// flash leaves a message for the next page.
func (f frame) flash(c echo.Context, msg string) { f.view.Flash.Set(c, msg) }

// pageFor fills the Control Panel frame with section as the current entry.
func (f frame) pageFor(c echo.Context, title, section string) page {
	p := page{Page: f.view.PageWithFlash(c, title), Section: section}
	routes := map[string]bool{}
	for _, r := range c.Echo().Routes() {
		if r.Method == http.MethodGet {
			routes[r.Path] = true
		}
	}
	for _, n := range navEntries() {
		if !routes[n.URL] {
			continue
		}
		n.Current = n.URL == section
		p.Nav = append(p.Nav, n)
	}
	return p
}

// Home opens the Control Panel at its first page.
func Home(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, "/cp/general")
}
