package controlpanel

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/view"
	"intracal/calendar"
)

// One account's page and its forms: disable, enable, reset the password, delete, revoke a
// token.

// personParam reads the account of the URL: a 404 for a bad id or a deleted account.
func (h *People) personParam(c echo.Context) (accounts.User, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return accounts.User{}, calendar.ErrNotFound
	}
	return h.accounts.Live(c.Request().Context(), id)
}

// Show is GET /cp/people/{id}.
func (h *People) Show(c echo.Context) error {
	u, err := h.personParam(c)
	if err != nil {
		return err
	}
	p, err := h.personPage(c, u)
	if err != nil {
		return err
	}
	return h.pages.Render(c, http.StatusOK, "cp_person.html", p)
}

func (h *People) personPage(c echo.Context, u accounts.User) (personPage, error) {
	ctx := c.Request().Context()
	v := accounts.CurrentViewer(c)
	loc := v.Location()
	p := personPage{page: h.pageFor(c, u.Name+" · People", "/cp/people"), Self: v.UserID == u.ID,
		Created: u.CreatedAt.In(loc).Format("2 January 2006")}
	if u.DisabledAt != nil {
		p.DisabledSince = u.DisabledAt.In(loc).Format("2 January 2006 15:04")
	}
	rows, err := h.tokens.List(ctx, u.ID)
	if err != nil {
		return p, err
	}
	p.Person = newPersonRow(u, len(rows))
	p.Tokens = view.TokenRows(rows, loc, h.now(), p.Person.URL+"/tokens")
	if p.Audit, err = h.accountChanges(ctx, u.ID, loc); err != nil {
		return p, err
	}
	prof, err := h.profiles.Get(ctx, u.ID)
	if err != nil {
		return p, err
	}
	p.Profile = view.ProfileRows(prof, nil, nil)
	if h.microsoft != nil {
		tenant, username, ok, err := h.microsoft(ctx, u.ID)
		if err != nil {
			return p, err
		}
		if ok {
			p.Microsoft = username + " (tenant " + tenant + ")"
		}
	}
	return p, nil
}

// Disable is POST /cp/people/{id}/disable.
func (h *People) Disable(c echo.Context) error {
	return h.change(c, "disabled: signed out everywhere, API tokens revoked", h.accounts.Disable)
}

// Enable is POST /cp/people/{id}/enable.
func (h *People) Enable(c echo.Context) error {
	return h.change(c, "enabled: they can sign in again", h.accounts.Enable)
}

func (h *People) change(c echo.Context, done string, change func(context.Context, accounts.Viewer, int64) (accounts.User, error)) error {
	u, err := h.personParam(c)
	if err != nil {
		return err
	}
	if _, err := change(c.Request().Context(), accounts.CurrentViewer(c), u.ID); err != nil {
		return err
	}
	h.flash(c, u.Name+" "+done+".")
	return c.Redirect(http.StatusSeeOther, newPersonRow(u, 0).URL)
}

// ResetPassword is POST /cp/people/{id}/password: to the password typed (twice), or,
// left empty, to a generated one shown once on the answer.
func (h *People) ResetPassword(c echo.Context) error {
	u, err := h.personParam(c)
	if err != nil {
		return err
	}
	if accounts.CurrentViewer(c).UserID == u.ID {
		return accounts.ErrSelf
	}
	password, confirm := c.FormValue("password"), c.FormValue("confirm")
	again := func(status int, fill func(p *personPage)) error {
		p, err := h.personPage(c, u)
		if err != nil {
			return err
		}
		fill(&p)
		return h.pages.Render(c, status, "cp_person.html", p)
	}
	if password != confirm {
		return again(http.StatusUnprocessableEntity, func(p *personPage) {
			p.Errors = map[string]string{"confirm": "The two passwords differ."}
		})
	}
	generated, err := h.accounts.ResetPassword(c.Request().Context(), accounts.CurrentViewer(c), u.ID, password)
	var invalid *calendar.ValidationError
	if errors.As(err, &invalid) {
		return again(http.StatusUnprocessableEntity, func(p *personPage) { p.Errors = invalid.Fields })
	}
	if err != nil {
		return err
	}
	if generated == "" {
		h.flash(c, "Password of "+u.Name+" reset: they were signed out everywhere.")
		return c.Redirect(http.StatusSeeOther, newPersonRow(u, 0).URL)
	}
	return again(http.StatusOK, func(p *personPage) {
		p.GeneratedPassword = generated
		p.Flash = "Password of " + u.Name + " reset: they were signed out everywhere. Give them the new password below; it is not shown again."
	})
}

// SaveProfile is POST /cp/people/{id}/profile: the directory fields and their locks (the
// lock boxes ticked), audited.
func (h *People) SaveProfile(c echo.Context) error {
	u, err := h.personParam(c)
	if err != nil {
		return err
	}
	if err := c.Request().ParseForm(); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	form := c.Request().Form
	edit := accounts.ProfileEdit{Values: map[string]string{}, Lock: map[string]bool{}}
	for _, f := range accounts.ProfileFields() {
		if v, ok := form[f.Name]; ok && len(v) > 0 {
			edit.Values[f.Name] = v[0]
		}
		edit.Lock[f.Name] = slices.Contains(form["lock"], f.Name)
	}
	_, err = h.profiles.Update(c.Request().Context(), accounts.CurrentViewer(c), u, edit, true)
	var invalid *calendar.ValidationError
	if errors.As(err, &invalid) {
		p, perr := h.personPage(c, u)
		if perr != nil {
			return perr
		}
		stored, perr := h.profiles.Get(c.Request().Context(), u.ID)
		if perr != nil {
			return perr
		}
		p.Profile = view.ProfileRows(stored, edit.Values, invalid.Fields)
		return h.pages.Render(c, http.StatusUnprocessableEntity, "cp_person.html", p)
	}
	if err != nil {
		return err
	}
	h.flash(c, "Profile of "+u.Name+" saved.")
	return c.Redirect(http.StatusSeeOther, newPersonRow(u, 0).URL+"#profile")
}

// Delete is POST /cp/people/{id}/delete. The form must repeat the account's address
// (confirm), so a slip of the mouse deletes nobody.
func (h *People) Delete(c echo.Context) error {
	u, err := h.personParam(c)
	if err != nil {
		return err
	}
	if accounts.NormalizeEmail(c.FormValue("confirm")) != u.Email {
		p, err := h.personPage(c, u)
		if err != nil {
			return err
		}
		p.Errors = map[string]string{"delete": "Type the address " + u.Email + " to confirm the deletion."}
		return h.pages.Render(c, http.StatusUnprocessableEntity, "cp_person.html", p)
	}
	if _, err := h.accounts.Delete(c.Request().Context(), accounts.CurrentViewer(c), u.ID); err != nil {
		return err
	}
	h.flash(c, u.Name+" ("+u.Email+") was deleted.")
	return c.Redirect(http.StatusSeeOther, "/cp/people")
}

// RevokeToken is POST /cp/people/{id}/tokens/{token}/revoke.
func (h *People) RevokeToken(c echo.Context) error {
	u, err := h.personParam(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Param("token"), 10, 64)
	if err != nil || id <= 0 {
		return calendar.ErrNotFound
	}
	ctx := c.Request().Context()
	row, err := h.accounts.OwnToken(ctx, u.ID, id)
	if err != nil {
		return err
	}
	if err := h.accounts.RevokeToken(ctx, accounts.CurrentViewer(c), row); err != nil {
		return err
	}
	h.flash(c, "API token "+row.Name+" of "+u.Name+" revoked.")
	return c.Redirect(http.StatusSeeOther, newPersonRow(u, 0).URL+"#tokens")
}
