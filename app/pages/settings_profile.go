package pages

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/view"
	"intracal/calendar"
)

// profileValues reads the profile fields of a form.
func profileValues(c echo.Context) map[string]string {
	out := map[string]string{}
	for _, f := range accounts.ProfileFields() {
		if v, ok := c.Request().Form[f.Name]; ok && len(v) > 0 {
			out[f.Name] = v[0]
		}
	}
	return out
}

// SaveProfile is POST /settings/profile: the viewer's own directory fields; a locked field
// or a bad value comes back on the form with why.
func (h *Settings) SaveProfile(c echo.Context) error {
	ctx := c.Request().Context()
	v := accounts.CurrentViewer(c)
	if err := c.Request().ParseForm(); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	u, err := h.users.ByID(ctx, v.UserID)
	if err != nil {
		return err
	}
	sent := profileValues(c)
	_, err = h.profiles.Update(ctx, v, u, accounts.ProfileEdit{Values: sent}, false)
	var ve *calendar.ValidationError
	if errors.As(err, &ve) {
		p, perr := h.profilePage(c, v.TimeZone, "")
		if perr != nil {
			return perr
		}
		stored, perr := h.profiles.Get(ctx, v.UserID)
		if perr != nil {
			return perr
		}
		p.Profile = view.ProfileRows(stored, sent, ve.Fields)
		return h.pages.Render(c, http.StatusUnprocessableEntity, "profile.html", p)
	}
	if err != nil {
		return err
	}
	h.flash(c, "Your profile is saved.")
	return c.Redirect(http.StatusSeeOther, "/settings#profile")
}
