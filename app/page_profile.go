package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/calendar"
)

// profilePage is the data of profile.html: the viewer's own settings.
type profilePage struct {
	Page
	TimeZone string
	Zones    []string
	Now      string // the time now in the chosen zone, so a wrong zone is easy to spot
	Error    string
}

// showProfile shows the viewer's settings.
func (a *App) showProfile(c echo.Context) error {
	v := currentViewer(c)
	return a.pages.render(c, http.StatusOK, "profile.html", a.profilePage(c, v.TimeZone, ""))
}

func (a *App) profilePage(c echo.Context, zone, msg string) profilePage {
	p := profilePage{Page: a.pageWithFlash(c, "Your settings"), TimeZone: zone, Zones: zoneChoices(zone), Error: msg}
	if loc, err := time.LoadLocation(zone); err == nil {
		p.Now = a.now().In(loc).Format("Monday 2 January, " + timeLayout)
	}
	return p
}

// saveProfile changes the viewer's time zone: every page shows times in it from then on.
func (a *App) saveProfile(c echo.Context) error {
	v := currentViewer(c)
	zone := strings.TrimSpace(c.FormValue("timeZone"))
	if err := a.users.setTimeZone(c.Request().Context(), v.UserID, zone); err != nil {
		var fe *calendar.ValidationError
		if errors.As(err, &fe) {
			return a.pages.render(c, http.StatusUnprocessableEntity, "profile.html", a.profilePage(c, zone, fe.Fields["timeZone"]))
		}
		return err
	}
	a.setFlash(c, "Saved: times are now shown in "+zone+".")
	return c.Redirect(http.StatusSeeOther, "/settings")
}

// setTimeZone changes an account's time zone to an IANA zone name.
func (s *userStore) setTimeZone(ctx context.Context, id int64, zone string) error {
	if _, err := time.LoadLocation(zone); err != nil || zone == "" || zone == "Local" {
		return &calendar.ValidationError{Fields: map[string]string{"timeZone": "Use an IANA time zone such as Europe/Berlin."}}
	}
	res := s.db.WithContext(ctx).Model(&User{}).Where("id = ?", id).
		Updates(map[string]any{"time_zone": zone, "updated_at": s.now()})
	if res.Error != nil {
		return fmt.Errorf("set time zone: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("user %d: %w", id, calendar.ErrNotFound)
	}
	return nil
}
