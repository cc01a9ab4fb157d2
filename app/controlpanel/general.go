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
	// EmployeesSpaces: every employee may create spaces (else site administrators only).
	EmployeesSpaces bool
	SpacesUpdatedAt string
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
	spaces, err := h.props.Get(c.Request().Context(), properties.PropEmployeesSpaces)
	if err != nil {
		return err
	}
	loc := accounts.CurrentViewer(c).Location()
	p := generalPage{page: h.pageFor(c, "General Settings", "/cp/general"), SyncEnabled: prop.Value == "true",
		EmployeesSpaces: spaces.Value == "true"}
	p.UpdatedAt, p.SpacesUpdatedAt = changedText(prop, loc), changedText(spaces, loc)
	return h.pages.Render(c, http.StatusOK, "cp_general.html", p)
}

// Save is POST /cp/general: it stores "Enable calendar sync from 3rd party systems" (the property
// EnableThirdPartyCalendarSync) and "Employees can create spaces" (EmployeesCreateSpaces),
// audited like every property change. A form without the spaces switch (an older page)
// leaves it as it is.
func (h *General) Save(c echo.Context) error {
	sync, err := yesNo(c.FormValue("enableThirdPartySync"))
	if err != nil {
		return err
	}
	ctx, v := c.Request().Context(), accounts.CurrentViewer(c)
	if err := h.props.Set(ctx, v, properties.PropEnableSync, sync); err != nil {
		return err
	}
	if s := c.FormValue("employeesCreateSpaces"); s != "" {
		spaces, err := yesNo(s)
		if err != nil {
			return err
		}
		if err := h.props.Set(ctx, v, properties.PropEmployeesSpaces, spaces); err != nil {
			return err
		}
	}
	h.flash(c, "System settings saved.")
	return c.Redirect(http.StatusSeeOther, "/cp/general")
}

// yesNo reads a Yes/No switch as a boolean property's value.
func yesNo(s string) (string, error) {
	switch s {
	case "yes":
		return "true", nil
	case "no":
		return "false", nil
	}
	return "", echo.NewHTTPError(http.StatusBadRequest, "Choose Yes or No.")
}
