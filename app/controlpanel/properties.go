package controlpanel

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/properties"
	"intracal/app/view"
	"intracal/calendar"
)

// auditShown is how many property changes the System Properties page lists.
const auditShown = 50

// propertiesPage is the data of cp_properties.html: System > System Properties.
type propertiesPage struct {
	page
	Query      string
	Properties []propertyRow
	Audit      []auditRow
}

// propertyRow is one property with its own form. A secret's value is never here: only whether
// it is set and when.
type propertyRow struct {
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

type auditRow struct {
	When     string
	Actor    string
	Property string
	Action   string
	Value    string // empty for a secret
}

// Properties is System > System Properties: each property editable on its own, and the
// audit of their changes.
type Properties struct {
	frame
	props *properties.Store
}

// NewProperties is the System Properties page.
func NewProperties(pages *view.Renderer, fr view.Frame, props *properties.Store) *Properties {
	return &Properties{frame: frame{pages, fr}, props: props}
}

// List is GET /cp/properties[?q=]: it lists the properties whose name contains ?q=, each editable on its own.
func (h *Properties) List(c echo.Context) error {
	p, err := h.propertiesPage(c, c.QueryParam("q"), "", "", "")
	if err != nil {
		return err
	}
	return h.pages.Render(c, http.StatusOK, "cp_properties.html", p)
}

// propertiesPage builds the page; failed names the property whose form came back with msg
// and the value typed (never for a secret).
func (h *Properties) propertiesPage(c echo.Context, query, failed, typed, msg string) (propertiesPage, error) {
	ctx := c.Request().Context()
	loc := accounts.CurrentViewer(c).Location()
	p := propertiesPage{page: h.pageFor(c, "System Properties", "/cp/properties"), Query: strings.TrimSpace(query)}
	list, err := h.props.List(ctx, p.Query)
	if err != nil {
		return p, err
	}
	for _, pv := range list {
		cp := propertyRow{Name: pv.Name, Description: pv.Description, Kind: string(pv.Kind), Value: pv.Value,
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
	audit, err := h.props.Audit(ctx, auditShown)
	if err != nil {
		return p, err
	}
	for _, ch := range audit {
		row := auditRow{When: ch.ChangedAt.In(loc).Format("2 Jan 2006 15:04"), Actor: ch.Actor, Property: ch.Property, Action: ch.Action}
		if ch.Value != nil {
			row.Value = *ch.Value
		}
		p.Audit = append(p.Audit, row)
	}
	return p, nil
}

// Save is POST /cp/properties/{name}: it stores one property. A value that is not valid comes back next to its field;
// the secret is write-only, so its field is always empty and "clear" removes it.
func (h *Properties) Save(c echo.Context) error {
	name := c.Param("name")
	value := c.FormValue("value")
	if c.FormValue("clear") != "" {
		value = ""
	}
	query := c.FormValue("q")
	err := h.props.Set(c.Request().Context(), accounts.CurrentViewer(c), name, value)
	var invalid *calendar.ValidationError
	if errors.As(err, &invalid) {
		p, perr := h.propertiesPage(c, query, name, value, invalid.Fields[name])
		if perr != nil {
			return perr
		}
		return h.pages.Render(c, http.StatusUnprocessableEntity, "cp_properties.html", p)
	}
	if err != nil {
		return err
	}
	h.flash(c, name+" saved.")
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
