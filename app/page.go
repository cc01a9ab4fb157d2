package app

import (
	"github.com/labstack/echo/v4"

	"intracal/app/view"
)

// page fills the common page data for this request.
func (a *App) page(c echo.Context, title string) view.Page { return a.frame.Page(c, title) }

// pageWithFlash is the common page data with the message left by the previous request, which
// is shown once.
func (a *App) pageWithFlash(c echo.Context, title string) view.Page {
	return a.frame.PageWithFlash(c, title)
}
