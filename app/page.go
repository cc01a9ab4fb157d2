package app

import (
	"github.com/labstack/echo/v4"

	"intracal/app/view"
)

// page fills the common page data for this request.
func (a *App) page(c echo.Context, title string) view.Page {
	return view.NewPage(c, title, a.outlookPanelFor(c))
}

// pageWithFlash is the common page data with the message left by the previous request, which
// is shown once.
func (a *App) pageWithFlash(c echo.Context, title string) view.Page {
	p := a.page(c, title)
	p.Flash = a.flash.Take(c)
	return p
}
