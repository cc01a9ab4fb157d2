package accounts

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

// CalendarViewer is the viewer as the calendar store sees it.
func (v Viewer) CalendarViewer() calendar.Viewer {
	return calendar.Viewer{UserID: v.UserID, IsAdmin: v.IsAdmin}
}

func ViewerOf(u User) Viewer {
	return Viewer{UserID: u.ID, Email: u.Email, Name: u.Name, TimeZone: u.TimeZone, IsAdmin: u.IsAdmin}
}

// AuthMethod says how a request proved who it comes from.
type AuthMethod int

const (
	ByCookie AuthMethod = iota + 1
	ByBearer
)

// AuthInfo is what the authentication middleware learned about a request.
type AuthInfo struct {
	Viewer    Viewer
	Method    AuthMethod
	SessionID string // hash of the cookie token, for logout
	CSRFToken string // the session's, for forms and the check on state changes
}

const authKey = "intracal.auth"

func AuthOf(c echo.Context) (AuthInfo, bool) {
	info, ok := c.Get(authKey).(AuthInfo)
	return info, ok
}

// CurrentViewer is the signed-in person. Routes behind RequireUser always have one; elsewhere
// the zero Viewer (UserID 0) means nobody is signed in.
func CurrentViewer(c echo.Context) Viewer {
	info, _ := AuthOf(c)
	return info.Viewer
}

// CSRFToken is the token that forms and scripts of this request's session must send back.
func CSRFToken(c echo.Context) string {
	info, _ := AuthOf(c)
	return info.CSRFToken
}

// AuditName is how the viewer appears as the author of a change in the audits: name and
// address, or "command line" for the command line (no account).
func (v Viewer) AuditName() string {
	switch {
	case v.UserID == 0:
		return "command line"
	case v.Email == "":
		return v.Name
	}
	return v.Name + " <" + v.Email + ">"
}
