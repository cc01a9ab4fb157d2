package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/properties"
)

// cpGeneralPage is the data of cp_general.html: System > General Settings > Advanced Settings.
type cpGeneralPage struct {
	cpPage
	SyncEnabled bool
	UpdatedAt   string // "2 March 2026 09:00 by Ada Admin", empty when never changed
}

// cpGeneral shows General Settings.
func (a *App) cpGeneral(c echo.Context) error {
	prop, err := a.props.Get(c.Request().Context(), properties.PropEnableSync)
	if err != nil {
		return err
	}
	p := cpGeneralPage{cpPage: a.cpPageFor(c, "General Settings", "/cp/general"), SyncEnabled: prop.Value == "true"}
	p.UpdatedAt = changedText(prop, accounts.CurrentViewer(c).Location())
	return a.pages.Render(c, http.StatusOK, "cp_general.html", p)
}

// cpGeneralSave stores "Enable calendar sync from 3rd party systems" (the property
// EnableThirdPartyCalendarSync), audited like every property change.
func (a *App) cpGeneralSave(c echo.Context) error {
	value := "false"
	switch c.FormValue("enableThirdPartySync") {
	case "yes":
		value = "true"
	case "no":
	default:
		return echo.NewHTTPError(http.StatusBadRequest, "Choose Yes or No.")
	}
	if err := a.props.Set(c.Request().Context(), accounts.CurrentViewer(c), properties.PropEnableSync, value); err != nil {
		return err
	}
	a.flash.Set(c, "System settings saved.")
	return c.Redirect(http.StatusSeeOther, "/cp/general")
}
