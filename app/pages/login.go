package pages

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/properties"
	"intracal/app/view"
)

// Login is the sign-in form, the sign-in and the sign-out.
type Login struct {
	frame
	signIn   *accounts.SignIn
	sessions *accounts.Sessions
	auth     *accounts.Authenticator
	options  SignInOptions
}

// SignInOptions says how people may sign in: the sign-in settings, and whether Connect to
// Outlook works (the login page then offers to connect at once).
type SignInOptions func(ctx context.Context) (s properties.SignInSettings, outlook bool, err error)

// NewLogin is the sign-in pages on the sign-in check, the sessions, the session cookie and
// the site's sign-in options.
func NewLogin(pages *view.Renderer, fr view.Frame, signIn *accounts.SignIn, sessions *accounts.Sessions,
	auth *accounts.Authenticator, options SignInOptions) *Login {
	return &Login{frame: frame{pages, fr}, signIn: signIn, sessions: sessions, auth: auth, options: options}
}

// loginPage is the data of login.html.
type loginPage struct {
	view.Page
	Email string
	Next  string
	Error string
	// Microsoft offers Sign in with Microsoft, and Outlook to connect Outlook with it.
	Microsoft, Outlook bool
	// PasswordOff folds the password form away: only the break-glass administrator uses it.
	PasswordOff bool
}

// render shows the form with what the site offers.
func (h *Login) render(c echo.Context, status int, p loginPage) error {
	s, outlook, err := h.options(c.Request().Context())
	if err != nil {
		return err
	}
	p.Page = h.page(c, "Sign in")
	p.Microsoft, p.Outlook, p.PasswordOff = s.Ready(), s.Ready() && outlook, s.PasswordOff()
	return h.pages.Render(c, status, "login.html", p)
}

// Form shows the sign-in form, or goes straight on for someone already signed in.
func (h *Login) Form(c echo.Context) error {
	next := accounts.SafeNext(c.QueryParam("next"))
	if _, ok := accounts.AuthOf(c); ok {
		return c.Redirect(http.StatusSeeOther, next)
	}
	return h.render(c, http.StatusOK, loginPage{Next: next})
}

// passwordOffMessage answers a password sign-in while passwords are off.
const passwordOffMessage = "Password sign-in is turned off on this site. Use Sign in with Microsoft."

// SignIn checks the e-mail address and password (accounts.SignIn), starts a session and goes
// on to the page the person wanted; a sign-in turned down shows the form again with why.
func (h *Login) SignIn(c echo.Context) error {
	ctx := c.Request().Context()
	email := accounts.NormalizeEmail(c.FormValue("email"))
	password := c.FormValue("password")
	next := accounts.SafeNext(c.FormValue("next"))
	ip := c.RealIP()
	again := func(status int, msg string) error {
		return h.render(c, status, loginPage{Email: email, Next: next, Error: msg})
	}
	s, _, err := h.options(ctx)
	if err != nil {
		return err
	}
	// Passwords off: only the break-glass administrator's is even checked.
	if !s.PasswordAllowed(email) {
		return again(http.StatusForbidden, passwordOffMessage)
	}

	user, err := h.signIn.Check(ctx, email, password, ip)
	var refused *accounts.Refused
	if errors.As(err, &refused) {
		return again(refused.Status, refused.Message)
	}
	if err != nil {
		return err
	}
	if s.PasswordOff() && !user.IsAdmin {
		return again(http.StatusForbidden, passwordOffMessage)
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
