package app

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
)

// flashCookie carries a one-line message across the redirect after a form is saved
// ("post/redirect/get"), so that reloading the next page does not post the form again.
const flashCookie = "intracal_flash"

// setFlash leaves a message for the next page this browser opens.
func (a *App) setFlash(c echo.Context, msg string) {
	c.SetCookie(&http.Cookie{
		Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: a.cfg.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

// pageWithFlash is the common page data with the message left by the previous request, which
// is shown once.
func (a *App) pageWithFlash(c echo.Context, title string) Page {
	p := a.page(c, title)
	ck, err := c.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return p
	}
	if msg, err := url.QueryUnescape(ck.Value); err == nil && len(msg) <= 300 {
		p.Flash = msg
	}
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: a.cfg.SecureCookies(), SameSite: http.SameSiteLaxMode})
	return p
}
