package pages

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/view"
)

// Login is the sign-in form, the sign-in and the sign-out.
type Login struct {
	frame
	signIn   *accounts.SignIn
	sessions *accounts.Sessions
	auth     *accounts.Authenticator
}

// NewLogin is the sign-in pages on the sign-in check, the sessions and the session cookie.
func NewLogin(pages *view.Renderer, fr view.Frame, signIn *accounts.SignIn, sessions *accounts.Sessions,
	auth *accounts.Authenticator) *Login {
	return &Login{frame: frame{pages, fr}, signIn: signIn, sessions: sessions, auth: auth}
}

// loginPage is the data of login.html.
type loginPage struct {
	view.Page
	Email string
	Next  string
	Error string
}

// Form shows the sign-in form, or goes straight on for someone already signed in.
func (h *Login) Form(c echo.Context) error {
	next := accounts.SafeNext(c.QueryParam("next"))
	if _, ok := accounts.AuthOf(c); ok {
		return c.Redirect(http.StatusSeeOther, next)
	}
	return h.pages.Render(c, http.StatusOK, "login.html", loginPage{Page: h.page(c, "Sign in"), Next: next})
}

// SignIn checks the e-mail address and password (accounts.SignIn), starts a session and goes
// on to the page the person wanted; a sign-in turned down shows the form again with why.
func (h *Login) SignIn(c echo.Context) error {
	ctx := c.Request().Context()
	email := accounts.NormalizeEmail(c.FormValue("email"))
	password := c.FormValue("password")
	next := accounts.SafeNext(c.FormValue("next"))
	ip := c.RealIP()
	again := func(status int, msg string) error {
		return h.pages.Render(c, status, "login.html", loginPage{Page: h.page(c, "Sign in"), Email: email, Next: next, Error: msg})
	}

	user, err := h.signIn.Check(ctx, email, password, ip)
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
	token, err := h.signIn.Start(ctx, user, replaced)
	if err != nil {
		return err
	}
	h.auth.SetSessionCookie(c, token)
	return c.Redirect(http.StatusSeeOther, next)
}

// SignOut ends the session and returns to the sign-in form.
func (h *Login) SignOut(c echo.Context) error {
	if info, ok := accounts.AuthOf(c); ok && info.Method == accounts.ByCookie {
		if err := h.sessions.Delete(c.Request().Context(), info.SessionID); err != nil {
			return err
		}
	}
	h.auth.ClearSessionCookie(c)
	return c.Redirect(http.StatusSeeOther, "/login")
}
