package view

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// flashCookie carries a one-line message across the redirect after a form is saved
// ("post/redirect/get"), so that reloading the next page does not post the form again.
const flashCookie = "intracal_flash"

// undoCookie carries, beside the flash, the undo that the next page offers with it (an
// Undo button after a delete), and when its time ends.
const undoCookie = "intracal_undo"

// Flash leaves one-line messages for the next page; secure is true for an https site.
type Flash struct {
	secure bool
	now    func() time.Time
}

// NewFlash is the flash of a site served over https (secure) or not; now is the clock an
// undo's time is counted on.
func NewFlash(secure bool, now func() time.Time) Flash { return Flash{secure: secure, now: now} }

// UndoNotice is the Undo button the page shows with the flash.
type UndoNotice struct {
	Token   string
	Seconds int // left before the server refuses it
}

// SetUndo leaves, with the flash, an undo that the next page offers until until. The cookie
// lasts as long, so that a page opened later shows no button the server would refuse.
func (f Flash) SetUndo(c echo.Context, token string, until time.Time) {
	left := int(math.Ceil(until.Sub(f.now()).Seconds()))
	if left <= 0 {
		return
	}
	c.SetCookie(f.named(undoCookie, token+"."+strconv.FormatInt(until.Unix(), 10), left))
}

// TakeUndo is the undo left by the previous request, shown once, or nil when there is none
// or its time is over.
func (f Flash) TakeUndo(c echo.Context) *UndoNotice {
	ck, err := c.Cookie(undoCookie)
	if err != nil || ck.Value == "" {
		return nil
	}
	c.SetCookie(f.named(undoCookie, "", -1))
	token, until, ok := strings.Cut(ck.Value, ".")
	sec, err := strconv.ParseInt(until, 10, 64)
	if !ok || err != nil || token == "" || len(token) > 64 {
		return nil
	}
	left := int(time.Unix(sec, 0).Sub(f.now()) / time.Second)
	if left <= 0 {
		return nil
	}
	return &UndoNotice{Token: token, Seconds: left}
}

// Set leaves a message for the next page this browser opens.
func (f Flash) Set(c echo.Context, msg string) { c.SetCookie(f.cookie(url.QueryEscape(msg), 60)) }

// Take is the message left by the previous request, shown once: it is cleared.
func (f Flash) Take(c echo.Context) string {
	ck, err := c.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return ""
	}
	c.SetCookie(f.cookie("", -1))
	if msg, err := url.QueryUnescape(ck.Value); err == nil && len(msg) <= 300 {
		return msg
	}
	return ""
}

func (f Flash) cookie(value string, maxAge int) *http.Cookie {
	return f.named(flashCookie, value, maxAge)
}

func (f Flash) named(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: f.secure, SameSite: http.SameSiteLaxMode}
}
