package app

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"golang.org/x/crypto/bcrypt"

	"intracal/app/accounts"
	"intracal/app/view"
	"intracal/calendar"
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

// login checks the e-mail address and password, starts a session and goes on to the page the
// person wanted. Repeated failures for one account from one address are refused for a while
// (see accounts.Throttle), with a message that says how long.
func (a *App) login(c echo.Context) error {
	ctx := c.Request().Context()
	email := accounts.NormalizeEmail(c.FormValue("email"))
	password := c.FormValue("password")
	next := accounts.SafeNext(c.FormValue("next"))
	ip := c.RealIP()
	again := func(status int, msg string) error {
		return a.pages.Render(c, status, "login.html", loginPage{Page: a.page(c, "Sign in"), Email: email, Next: next, Error: msg})
	}

	if email == "" || password == "" {
		return again(http.StatusUnprocessableEntity, "Enter your e-mail address and password.")
	}
	// The attempt is counted before the password is checked (see accounts.Throttle.Reserve).
	wait, err := a.throttle.Reserve(ctx, email, ip)
	if err != nil {
		return err
	}
	if wait > 0 {
		return again(http.StatusTooManyRequests, accounts.LockedMessage(wait))
	}

	user, err := a.users.ByEmail(ctx, email)
	if err != nil && !errors.Is(err, calendar.ErrNotFound) {
		return err
	}
	hash := a.dummyHash
	if err == nil && user.PasswordHash != "" {
		hash = []byte(user.PasswordHash)
	}
	// Compared even when there is no such account, so the answer takes as long either way.
	match := bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil
	if err != nil || user.PasswordHash == "" || !match {
		wait, ferr := a.throttle.LockedNow(ctx, email, ip)
		if ferr != nil {
			return ferr
		}
		msg := "The e-mail address or the password is wrong."
		if wait > 0 {
			msg += " " + accounts.LockedMessage(wait)
		}
		a.log.Info("sign-in failed", "ip", ip)
		return again(http.StatusUnauthorized, msg)
	}

	if !user.Active() {
		// Said only to someone who knows the password: anyone else hears "wrong" above.
		a.log.Info("sign-in of a disabled account refused", "user", user.ID, "ip", ip)
		return again(http.StatusForbidden, "This account is disabled. Ask a site administrator if you need it again.")
	}
	if err := a.throttle.Clear(ctx, email, ip); err != nil {
		a.log.Warn("clear login failures", "err", err)
	}
	if err := a.sessions.DeleteExpired(ctx); err != nil {
		a.log.Warn("delete expired sessions", "err", err)
	}
	// A new session on every sign-in: a session id planted before sign-in is worth nothing.
	if info, ok := accounts.AuthOf(c); ok && info.Method == accounts.ByCookie {
		_ = a.sessions.Delete(ctx, info.SessionID)
	}
	token, _, err := a.sessions.Create(ctx, user.ID)
	if err != nil {
		return err
	}
	a.auth.SetSessionCookie(c, token)
	a.log.Info("signed in", "user", user.ID)
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
