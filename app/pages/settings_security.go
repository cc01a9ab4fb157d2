package pages

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/calendar"
)

// The settings page's password and API token forms. Each posts with the session's CSRF
// token; a form that is not acceptable comes back with its errors (422) and nothing stored.

// ChangePassword is POST /settings/password: the owner's new password. This browser's
// session stays; every other one ends.
func (h *Settings) ChangePassword(c echo.Context) error {
	info, _ := accounts.AuthOf(c)
	err := h.accounts.ChangePassword(c.Request().Context(), info.Viewer, info.SessionID, c.RealIP(),
		c.FormValue("current"), c.FormValue("password"), c.FormValue("confirm"))
	var invalid *calendar.ValidationError
	var limited *httpkit.Error
	switch {
	case errors.As(err, &invalid):
		return h.settingsAgain(c, http.StatusUnprocessableEntity, func(p *profilePage) { p.PasswordErrors = invalid.Fields })
	case errors.As(err, &limited) && limited.Status == http.StatusTooManyRequests:
		return h.settingsAgain(c, limited.Status, func(p *profilePage) { p.PasswordErrors = map[string]string{"current": limited.Message} })
	case err != nil:
		return err
	}
	h.flash(c, "Your password was changed. You were signed out everywhere else.")
	return c.Redirect(http.StatusSeeOther, "/settings#password")
}

// CreateToken is POST /settings/tokens: a new token, whose secret the answer shows once
// (never through the flash cookie, which would carry it in a header).
func (h *Settings) CreateToken(c echo.Context) error {
	ctx := c.Request().Context()
	v := accounts.CurrentViewer(c)
	form := tokenForm{Name: strings.TrimSpace(c.FormValue("name")), Days: strings.TrimSpace(c.FormValue("expiresInDays"))}
	form.Choices = tokenDayChoices(form.Days)
	days := 0
	if form.Days != "" {
		n, err := strconv.Atoi(form.Days)
		if days = n; err != nil || n == 0 {
			days = -1
		}
	}
	owner, err := h.accounts.Live(ctx, v.UserID)
	if err != nil {
		return err
	}
	token, row, err := h.accounts.CreateToken(ctx, v, owner, form.Name, days)
	var invalid *calendar.ValidationError
	if errors.As(err, &invalid) {
		return h.settingsAgain(c, http.StatusUnprocessableEntity, func(p *profilePage) { p.TokenForm, p.TokenErrors = form, invalid.Fields })
	}
	if err != nil {
		return err
	}
	return h.settingsAgain(c, http.StatusCreated, func(p *profilePage) {
		p.NewToken = token
		p.Flash = "API token " + row.Name + " created. Copy it now: it is not shown again."
	})
}

// RevokeToken is POST /settings/tokens/{id}/revoke: one of the viewer's own tokens; any
// other id is a 404.
func (h *Settings) RevokeToken(c echo.Context) error {
	row, err := h.accounts.RevokeOwnToken(c.Request().Context(), accounts.CurrentViewer(c), c.Param("id"))
	if err != nil {
		return err
	}
	h.flash(c, "API token "+row.Name+" revoked.")
	return c.Redirect(http.StatusSeeOther, "/settings#tokens")
}

// settingsAgain renders the settings page with status after a form, adjusted by fill.
func (h *Settings) settingsAgain(c echo.Context, status int, fill func(p *profilePage)) error {
	p, err := h.profilePage(c, accounts.CurrentViewer(c).TimeZone, "")
	if err != nil {
		return err
	}
	fill(&p)
	return h.pages.Render(c, status, "profile.html", p)
}
