package app

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/crypto/bcrypt"

	"intracal/calendar"
)

// loginPage is the data of login.html.
type loginPage struct {
	Page
	Email string
	Next  string
	Error string
}

// loginForm shows the sign-in form, or goes straight on for someone already signed in.
func (a *App) loginForm(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if _, ok := authOf(c); ok {
		return c.Redirect(http.StatusSeeOther, next)
	}
	return a.pages.render(c, http.StatusOK, "login.html", loginPage{Page: a.page(c, "Sign in"), Next: next})
}

// login checks the e-mail address and password, starts a session and goes on to the page the
// person wanted. Repeated failures for one account from one address are refused for a while
// (see loginThrottle), with a message that says how long.
func (a *App) login(c echo.Context) error {
	ctx := c.Request().Context()
	email := normalizeEmail(c.FormValue("email"))
	password := c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	ip := c.RealIP()
	again := func(status int, msg string) error {
		return a.pages.render(c, status, "login.html", loginPage{Page: a.page(c, "Sign in"), Email: email, Next: next, Error: msg})
	}

	if email == "" || password == "" {
		return again(http.StatusUnprocessableEntity, "Enter your e-mail address and password.")
	}
	// The attempt is counted before the password is checked (see loginThrottle.reserve).
	wait, err := a.throttle.reserve(ctx, email, ip)
	if err != nil {
		return err
	}
	if wait > 0 {
		return again(http.StatusTooManyRequests, lockedMessage(wait))
	}

	user, err := a.users.byEmail(ctx, email)
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
		wait, ferr := a.throttle.lockedNow(ctx, email, ip)
		if ferr != nil {
			return ferr
		}
		msg := "The e-mail address or the password is wrong."
		if wait > 0 {
			msg += " " + lockedMessage(wait)
		}
		a.log.Info("sign-in failed", "ip", ip)
		return again(http.StatusUnauthorized, msg)
	}

	if !user.Active() {
		// Said only to someone who knows the password: anyone else hears "wrong" above.
		a.log.Info("sign-in of a disabled account refused", "user", user.ID, "ip", ip)
		return again(http.StatusForbidden, "This account is disabled. Ask a site administrator if you need it again.")
	}
	if err := a.throttle.clear(ctx, email, ip); err != nil {
		a.log.Warn("clear login failures", "err", err)
	}
	if err := a.sessions.deleteExpired(ctx); err != nil {
		a.log.Warn("delete expired sessions", "err", err)
	}
	// A new session on every sign-in: a session id planted before sign-in is worth nothing.
	if info, ok := authOf(c); ok && info.method == byCookie {
		_ = a.sessions.delete(ctx, info.sessionID)
	}
	token, _, err := a.sessions.create(ctx, user.ID)
	if err != nil {
		return err
	}
	a.setSessionCookie(c, token)
	a.log.Info("signed in", "user", user.ID)
	return c.Redirect(http.StatusSeeOther, next)
}

// lockedMessage tells how long to wait, rounded up to what a person reads.
func lockedMessage(wait time.Duration) string {
	if wait <= time.Minute {
		secs := int((wait + time.Second - 1) / time.Second)
		return fmt.Sprintf("Too many failed sign-in attempts for this account: try again in %d seconds.", secs)
	}
	mins := int((wait + time.Minute - 1) / time.Minute)
	return fmt.Sprintf("Too many failed sign-in attempts for this account: try again in %d minutes.", mins)
}

// logout ends the session and returns to the sign-in form.
func (a *App) logout(c echo.Context) error {
	if info, ok := authOf(c); ok && info.method == byCookie {
		if err := a.sessions.delete(c.Request().Context(), info.sessionID); err != nil {
			return err
		}
	}
	a.clearSessionCookie(c)
	return c.Redirect(http.StatusSeeOther, "/login")
}
