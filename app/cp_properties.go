package app

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/properties"
	"intracal/calendar"
)

// auditShown is how many property changes the System Properties page lists.
const auditShown = 50

// cpPropertiesPage is the data of cp_properties.html: System > System Properties.
type cpPropertiesPage struct {
	cpPage
	Query      string
	Properties []cpProperty
	Audit      []cpAuditRow
}

// cpProperty is one property with its own form. A secret's value is never here: only whether
// it is set and when.
type cpProperty struct {
	Name        string
	Description string
	Kind        string // bool, guid, secret
	Value       string // the effective value, or what was typed when it came back with an error
	Default     string
	Set         bool
	Changed     string // "2 March 2026 09:00 by Ada Admin"
	Error       string
	Anchor      string
}

type cpAuditRow struct {
	When     string
	Actor    string
	Property string
	Action   string
	Value    string // empty for a secret
}

// cpProperties lists the properties whose name contains ?q=, each editable on its own.
func (a *App) cpProperties(c echo.Context) error {
	p, err := a.cpPropertiesPage(c, c.QueryParam("q"), "", "", "")
	if err != nil {
		return err
	}
	return a.pages.Render(c, http.StatusOK, "cp_properties.html", p)
}

// cpPropertiesPage builds the page; failed names the property whose form came back with msg
// and the value typed (never for a secret).
func (a *App) cpPropertiesPage(c echo.Context, query, failed, typed, msg string) (cpPropertiesPage, error) {
	ctx := c.Request().Context()
	loc := accounts.CurrentViewer(c).Location()
	p := cpPropertiesPage{cpPage: a.cpPageFor(c, "System Properties", "/cp/properties"), Query: strings.TrimSpace(query)}
	list, err := a.props.List(ctx, p.Query)
	if err != nil {
		return p, err
	}
	for _, pv := range list {
		cp := cpProperty{Name: pv.Name, Description: pv.Description, Kind: string(pv.Kind), Value: pv.Value,
			Default: pv.Default, Set: pv.Set, Changed: changedText(pv, loc), Anchor: "prop-" + pv.Name}
		if pv.IsSecret() {
			cp.Value = ""
		}
		if pv.Name == failed {
			cp.Error = msg
			if !pv.IsSecret() {
				cp.Value = typed
			}
		}
		p.Properties = append(p.Properties, cp)
	}
	audit, err := a.props.Audit(ctx, auditShown)
	if err != nil {
		return p, err
	}
	for _, ch := range audit {
		row := cpAuditRow{When: ch.ChangedAt.In(loc).Format("2 Jan 2006 15:04"), Actor: ch.Actor, Property: ch.Property, Action: ch.Action}
		if ch.Value != nil {
			row.Value = *ch.Value
		}
		p.Audit = append(p.Audit, row)
	}
	return p, nil
}

// cpPropertySave stores one property. A value that is not valid comes back next to its field;
// the secret is write-only, so its field is always empty and "clear" removes it.
func (a *App) cpPropertySave(c echo.Context) error {
	name := c.Param("name")
	value := c.FormValue("value")
	if c.FormValue("clear") != "" {
		value = ""
	}
	query := c.FormValue("q")
	err := a.props.Set(c.Request().Context(), accounts.CurrentViewer(c), name, value)
	var invalid *calendar.ValidationError
	if errors.As(err, &invalid) {
		p, perr := a.cpPropertiesPage(c, query, name, value, invalid.Fields[name])
		if perr != nil {
			return perr
		}
		return a.pages.Render(c, http.StatusUnprocessableEntity, "cp_properties.html", p)
	}
	if err != nil {
		return err
	}
	a.flash.Set(c, name+" saved.")
	back := "/cp/properties"
	if query != "" {
		back += "?" + url.Values{"q": {query}}.Encode()
	}
	return c.Redirect(http.StatusSeeOther, back+"#prop-"+name)
}

// changedText says when and by whom a property was last changed, in the viewer's zone.
func changedText(p properties.View, loc *time.Location) string {
	if p.UpdatedAt == nil {
		return ""
	}
	s := p.UpdatedAt.In(loc).Format("2 January 2006 15:04")
	if p.UpdatedBy != "" {
		s += " by " + p.UpdatedBy
	}
	return s
}
