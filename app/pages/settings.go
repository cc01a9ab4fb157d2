package pages

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/view"
	"intracal/calendar"
)

// Settings is Your settings: the time zone, the directory profile, the password and the
// personal API tokens.
type Settings struct {
	frame
	users    *accounts.Users
	profiles *accounts.Profiles
	tokens   *accounts.Tokens
	accounts *accounts.Lifecycle
	feed     func(ctx context.Context, userID int64) (view.FeedLinks, error)
	now      func() time.Time
}

// NewSettings is the settings page on the account stores and the audited lifecycle that
// changes passwords and issues and revokes tokens; now tells which tokens have expired.
func NewSettings(pages *view.Renderer, fr view.Frame, users *accounts.Users, profiles *accounts.Profiles, tokens *accounts.Tokens,
	lifecycle *accounts.Lifecycle, feed func(ctx context.Context, userID int64) (view.FeedLinks, error), now func() time.Time) *Settings {
	return &Settings{frame: frame{pages, fr}, users: users, profiles: profiles, tokens: tokens, accounts: lifecycle, feed: feed, now: now}
}

// profilePage is the data of profile.html: the viewer's own settings, password and API
// tokens.
type profilePage struct {
	view.Page
	TimeZone string
	Zones    []string
	Now      string // the time now in the chosen zone, so a wrong zone is easy to spot
	Error    string

	PasswordErrors map[string]string // by field: current, password, confirm
	HasPassword    bool              // false: the account signs in some other way

	Tokens      []view.TokenRow
	TokenForm   tokenForm
	TokenErrors map[string]string // by field: name, expiresInDays
	NewToken    string            // the secret of the token just created, shown this once

	Feed view.FeedLinks // the calendar feed's addresses

	Profile []view.ProfileRow // the directory fields
}

// tokenForm is what the new-token form was sent with, to show it again with its errors.
type tokenForm struct {
	Name    string
	Days    string
	Choices []option
}

// tokenDayChoices are the validities the settings page offers; the API takes any.
func tokenDayChoices(chosen string) []option {
	opts := []option{{"30", "30 days", false}, {"90", "90 days", false}, {"365", "1 year", false}, {"", "Never", false}}
	for i := range opts {
		opts[i].Selected = opts[i].Value == chosen
	}
	return opts
}

// Show shows the viewer's settings.
func (h *Settings) Show(c echo.Context) error {
	v := accounts.CurrentViewer(c)
	p, err := h.profilePage(c, v.TimeZone, "")
	if err != nil {
		return err
	}
	return h.pages.Render(c, http.StatusOK, "profile.html", p)
}

func (h *Settings) profilePage(c echo.Context, zone, msg string) (profilePage, error) {
	ctx := c.Request().Context()
	v := accounts.CurrentViewer(c)
	p := profilePage{Page: h.pageWithFlash(c, "Your settings"), TimeZone: zone, Zones: zoneChoices(zone), Error: msg,
		TokenForm: tokenForm{Days: "90", Choices: tokenDayChoices("90")}}
	if loc, err := time.LoadLocation(zone); err == nil {
		p.Now = h.now().In(loc).Format("Monday 2 January, " + timeLayout)
	}
	u, err := h.users.ByID(ctx, v.UserID)
	if err != nil {
		return p, err
	}
	p.HasPassword = u.PasswordHash != ""
	rows, err := h.tokens.List(ctx, v.UserID)
	if err != nil {
		return p, err
	}
	p.Tokens = view.TokenRows(rows, v.Location(), h.now(), "/settings/tokens")
	if p.Feed, err = h.feed(ctx, v.UserID); err != nil {
		return p, err
	}
	prof, err := h.profiles.Get(ctx, v.UserID)
	if err != nil {
		return p, err
	}
	p.Profile = view.ProfileRows(prof, nil, nil)
	return p, nil
}

// Save changes the viewer's time zone: every page shows times in it from then on.
func (h *Settings) Save(c echo.Context) error {
	v := accounts.CurrentViewer(c)
	zone := strings.TrimSpace(c.FormValue("timeZone"))
	if err := h.users.SetTimeZone(c.Request().Context(), v.UserID, zone); err != nil {
		var fe *calendar.ValidationError
		if errors.As(err, &fe) {
			p, perr := h.profilePage(c, zone, fe.Fields["timeZone"])
			if perr != nil {
				return perr
			}
			return h.pages.Render(c, http.StatusUnprocessableEntity, "profile.html", p)
		}
		return err
	}
	h.flash(c, "Saved: times are now shown in "+zone+".")
	return c.Redirect(http.StatusSeeOther, "/settings")
}
