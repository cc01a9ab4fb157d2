package app

import (
	"time"

	"github.com/labstack/echo/v4"

	"intracal/calendar"
)

// Viewer is the person making a request.
type Viewer struct {
	UserID   int64
	Email    string
	Name     string
	TimeZone string // IANA zone of the person's profile
	IsAdmin  bool
}

// Location is the viewer's profile zone; an unknown zone falls back to UTC rather than
// failing every page.
func (v Viewer) Location() *time.Location {
	if loc, err := time.LoadLocation(v.TimeZone); err == nil && v.TimeZone != "" {
		return loc
	}
	return time.UTC
}

// calendarViewer is the viewer as the calendar store sees it.
func (v Viewer) calendarViewer() calendar.Viewer {
	return calendar.Viewer{UserID: v.UserID, IsAdmin: v.IsAdmin}
}

func viewerOf(u User) Viewer {
	return Viewer{UserID: u.ID, Email: u.Email, Name: u.Name, TimeZone: u.TimeZone, IsAdmin: u.IsAdmin}
}

// authMethod says how a request proved who it comes from.
type authMethod int

const (
	byCookie authMethod = iota + 1
	byBearer
)

// authInfo is what the authentication middleware learned about a request.
type authInfo struct {
	viewer    Viewer
	method    authMethod
	sessionID string // hash of the cookie token, for logout
	csrfToken string // the session's, for forms and the check on state changes
}

const authKey = "intracal.auth"

func authOf(c echo.Context) (authInfo, bool) {
	info, ok := c.Get(authKey).(authInfo)
	return info, ok
}

// currentViewer is the signed-in person. Routes behind requireUser always have one; elsewhere
// the zero Viewer (UserID 0) means nobody is signed in.
func currentViewer(c echo.Context) Viewer {
	info, _ := authOf(c)
	return info.viewer
}

// csrfToken is the token that forms and scripts of this request's session must send back.
func csrfToken(c echo.Context) string {
	info, _ := authOf(c)
	return info.csrfToken
}
