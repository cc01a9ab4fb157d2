package pages

import (
	"github.com/labstack/echo/v4"

	"intracal/app/view"
)

// frame is what every page handler holds to render its pages.
type frame struct {
	pages *view.Renderer
	view  view.Frame
}

// page fills the common page data for this request.
func (f frame) page(c echo.Context, title string) view.Page { return f.view.Page(c, title) }

// pageWithFlash is the common page data with the message left by the previous request, which
// is shown once.
func (f frame) pageWithFlash(c echo.Context, title string) view.Page {
	return f.view.PageWithFlash(c, title)
}

// flash leaves a message for the next page.
func (f frame) flash(c echo.Context, msg string) { f.view.Flash.Set(c, msg) }
