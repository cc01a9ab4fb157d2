package view

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
)

// flashCookie carries a one-line message across the redirect after a form is saved
// ("post/redirect/get"), so that reloading the next page does not post the form again.
const flashCookie = "intracal_flash"

// Flash leaves one-line messages for the next page; secure is true for an https site.
type Flash struct{ secure bool }

// NewFlash is the flash of a site served over https (secure) or not.
func NewFlash(secure bool) Flash { return Flash{secure: secure} }

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
	return &http.Cookie{Name: flashCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: f.secure, SameSite: http.SameSiteLaxMode}
}
