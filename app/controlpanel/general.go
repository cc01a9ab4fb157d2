package controlpanel

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/properties"
	"intracal/app/view"
)

// generalPage is the data of cp_general.html: System > General Settings > Advanced Settings.
type generalPage struct {
	page
	SyncEnabled bool
	UpdatedAt   string // "2 March 2026 09:00 by Ada Admin", empty when never changed
}

// General is System > General Settings.
type General struct {
	frame
	props *properties.Store
}

// NewGeneral is the General Settings page on the System Properties.
func NewGeneral(pages *view.Renderer, fr view.Frame, props *properties.Store) *General {
	return &General{frame: frame{pages, fr}, props: props}
}

// Show is GET /cp/general.
func (h *General) Show(c echo.Context) error {
	prop, err := h.props.Get(c.Request().Context(), properties.PropEnableSync)
	if err != nil {
		return err
	}
	p := generalPage{page: h.pageFor(c, "General Settings", "/cp/general"), SyncEnabled: prop.Value == "true"}
	p.UpdatedAt = changedText(prop, accounts.CurrentViewer(c).Location())
	return h.pages.Render(c, http.StatusOK, "cp_general.html", p)
}

// Save is POST /cp/general: it stores "Enable calendar sync from 3rd party systems" (the property
// EnableThirdPartyCalendarSync), audited like every property change.
func (h *General) Save(c echo.Context) error {
	value := "false"
	switch c.FormValue("enableThirdPartySync") {
	case "yes":
		value = "true"
	case "no":
	default:
		return echo.NewHTTPError(http.StatusBadRequest, "Choose Yes or No.")
	}
	if err := h.props.Set(c.Request().Context(), accounts.CurrentViewer(c), properties.PropEnableSync, value); err != nil {
		return err
	}
	h.flash(c, "System settings saved.")
	return c.Redirect(http.StatusSeeOther, "/cp/general")
}
