package controlpanel

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/properties"
	"intracal/app/view"
	"intracal/calendar"
)

// signInPage is the data of cp_signin.html: System > Sign-in.
type signInPage struct {
	page
	Ready       bool
	Missing     []string
	RedirectURI string
	Multitenant bool
	SAMLTenant  string
	// The form's values, as stored or as sent back with Error.
	Microsoft, CreateAccounts, Password bool
	BreakGlass, Tenants                 string
	Error                               string
}

// SignIn is System > Sign-in: Sign in with Microsoft and password sign-in.
type SignIn struct {
	frame
	props       *properties.Store
	redirectURI string
}

// NewSignIn is the Sign-in page on the System Properties; redirectURI is the address to
// register in Entra.
func NewSignIn(pages *view.Renderer, fr view.Frame, props *properties.Store, redirectURI string) *SignIn {
	return &SignIn{frame: frame{pages, fr}, props: props, redirectURI: redirectURI}
}

func (h *SignIn) render(c echo.Context, status int, form *signInPage) error {
	s, err := h.props.SignInSettings(c.Request().Context())
	if err != nil {
		return err
	}
	p := signInPage{page: h.pageFor(c, "Sign-in", "/cp/signin"), Ready: s.Ready(), RedirectURI: h.redirectURI,
		Multitenant: s.Multitenant(), SAMLTenant: s.App.SAMLTenantID,
		Microsoft: s.Microsoft, CreateAccounts: s.CreateAccounts, Password: s.Password,
		BreakGlass: s.BreakGlass, Tenants: strings.Join(s.Tenants, ", ")}
	for _, m := range s.Missing() {
		if !strings.HasPrefix(m, "turn "+properties.PropMicrosoftSignIn) {
			p.Missing = append(p.Missing, m)
		}
	}
	if form != nil {
		p.Microsoft, p.CreateAccounts, p.Password = form.Microsoft, form.CreateAccounts, form.Password
		p.BreakGlass, p.Tenants, p.Error = form.BreakGlass, form.Tenants, form.Error
	}
	return h.pages.Render(c, status, "cp_signin.html", p)
}

// Show is GET /cp/signin.
func (h *SignIn) Show(c echo.Context) error { return h.render(c, http.StatusOK, nil) }

// Save is POST /cp/signin. The properties are stored one by one, each audited, in an order
// that never locks everyone out halfway: password sign-in is turned on first and off last.
// A refused value (properties.Store checks them) comes back on the form with why; what was
// stored before it stays.
func (h *SignIn) Save(c echo.Context) error {
	ctx, v := c.Request().Context(), accounts.CurrentViewer(c)
	var form signInPage
	values := map[string]string{}
	for _, f := range []struct {
		field, prop string
		to          *bool
	}{
		{"microsoft", properties.PropMicrosoftSignIn, &form.Microsoft},
		{"createAccounts", properties.PropMicrosoftCreates, &form.CreateAccounts},
		{"password", properties.PropPasswordSignIn, &form.Password},
	} {
		val, err := yesNo(c.FormValue(f.field))
		if err != nil {
			return err
		}
		values[f.prop], *f.to = val, val == "true"
	}
	form.BreakGlass, form.Tenants = strings.TrimSpace(c.FormValue("breakGlass")), strings.TrimSpace(c.FormValue("tenants"))
	values[properties.PropBreakGlassAdmin], values[properties.PropMicrosoftTenants] = form.BreakGlass, form.Tenants

	order := []string{properties.PropMicrosoftSignIn, properties.PropMicrosoftCreates, properties.PropBreakGlassAdmin, properties.PropMicrosoftTenants}
	if form.Password {
		order = append([]string{properties.PropPasswordSignIn}, order...)
	} else {
		order = append(order, properties.PropPasswordSignIn)
	}
	for _, name := range order {
		cur, err := h.props.Get(ctx, name)
		if err != nil {
			return err
		}
		if cur.Value == values[name] {
			continue
		}
		err = h.props.Set(ctx, v, name, values[name])
		var invalid *calendar.ValidationError
		if errors.As(err, &invalid) {
			form.Error = invalid.Fields[name]
			return h.render(c, http.StatusUnprocessableEntity, &form)
		}
		if err != nil {
			return err
		}
	}
	h.flash(c, "Sign-in settings saved.")
	return c.Redirect(http.StatusSeeOther, "/cp/signin")
}
