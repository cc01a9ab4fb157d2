package view

import "github.com/labstack/echo/v4"

// PanelFunc returns the function that builds the viewer's Outlook panel for a request, so
// that pages that do not show it cost nothing.
type PanelFunc func(c echo.Context) func() *OutlookPanel

// Frame fills what every page of a request shares: the viewer and the CSRF token, the flash
// and, where a page shows it, the Outlook panel. Handlers of the pages, the Control Panel and
// the Outlook wiring each hold one.
type Frame struct {
	Flash Flash
	panel PanelFunc
}

// NewFrame is the frame of a site whose pages take their flash from flash and their Outlook
// panel from panel (nil: none).
func NewFrame(flash Flash, panel PanelFunc) Frame { return Frame{Flash: flash, panel: panel} }

// Page is the common page data for this request.
func (f Frame) Page(c echo.Context, title string) Page {
	var panel func() *OutlookPanel
	if f.panel != nil {
		panel = f.panel(c)
	}
	return NewPage(c, title, panel)
}

// PageWithFlash is the common page data with the message left by the previous request,
// which is shown once, and the Undo button left with it.
func (f Frame) PageWithFlash(c echo.Context, title string) Page {
	p := f.Page(c, title)
	p.Flash = f.Flash.Take(c)
	p.Undo = f.Flash.TakeUndo(c)
	return p
}
