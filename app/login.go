package app

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/view"
)

// loginPage is the data of login.html.
type loginPage struct {
	view.Page
	Email string
	Next  string
	Error string
}

// loginForm shows the sign-in form, or goes straight on for someone already signed in.
func (a *App) loginForm(c echo.Context) error {
	next := accounts.SafeNext(c.QueryParam("next"))
	if _, ok := accounts.AuthOf(c); ok {
		return c.Redirect(http.StatusSeeOther, next)
	}
	return a.pages.Render(c, http.StatusOK, "login.html", loginPage{Page: a.page(c, "Sign in"), Next: next})
}

// login checks the e-mail address and password (accounts.SignIn), starts a session and goes
// on to the page the person wanted; a sign-in turned down shows the form again with why.
func (a *App) login(c echo.Context) error {
	ctx := c.Request().Context()
	email := accounts.NormalizeEmail(c.FormValue("email"))
	password := c.FormValue("password")
	next := accounts.SafeNext(c.FormValue("next"))
	ip := c.RealIP()
	again := func(status int, msg string) error {
		return a.pages.Render(c, status, "login.html", loginPage{Page: a.page(c, "Sign in"), Email: email, Next: next, Error: msg})
	}

	user, err := a.signIn.Check(ctx, email, password, ip)
	var refused *accounts.Refused
	if errors.As(err, &refused) {
		return again(refused.Status, refused.Message)
	}
	if err != nil {
		return err
	}
	var replaced string
	if info, ok := accounts.AuthOf(c); ok && info.Method == accounts.ByCookie {
		replaced = info.SessionID
	}
	token, err := a.signIn.Start(ctx, user, replaced)
	if err != nil {
		return err
	}
	a.auth.SetSessionCookie(c, token)
	return c.Redirect(http.StatusSeeOther, next)
}

// logout ends the session and returns to the sign-in form.
func (a *App) logout(c echo.Context) error {
	if info, ok := accounts.AuthOf(c); ok && info.Method == accounts.ByCookie {
		if err := a.sessions.Delete(c.Request().Context(), info.SessionID); err != nil {
			return err
		}
	}
	a.auth.ClearSessionCookie(c)
	return c.Redirect(http.StatusSeeOther, "/login")
}
