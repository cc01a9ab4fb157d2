package signin

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"
	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/app/properties"
	"intracal/app/view"
	"intracal/config/secrets"
	"intracal/outlooksync"
)

// The paths of Sign in with Microsoft: its start, and where Microsoft sends the browser back
// (registered as a second redirect URI of the app, docs/outlook-setup.md).
const (
	StartPath    = "/login/microsoft"
	CallbackPath = "/oauth2/signin/callback"
)

// browserCookie holds the secret that binds a sign-in to the browser that started it.
const browserCookie = "intracal_signin"

// Outlook connects a person's Outlook with the tokens of the sign-in itself, when they asked
// for both at once (app/outlook's Outlook).
type Outlook interface {
	// ConnectReady reports whether Connect to Outlook works now.
	ConnectReady(ctx context.Context) (bool, error)
	// ConnectWithToken stores the connection of the mailbox tok reaches; it returns the
	// account's label for the page.
	ConnectWithToken(ctx context.Context, userID int64, tok *oauth2.Token, tenant string) (string, error)
}

// Options are what the sign-in is made of.
type Options struct {
	Pages    *view.Renderer
	Frame    view.Frame
	DB       *gorm.DB
	Box      *secrets.Box
	Props    *properties.Store
	Users    *accounts.Users
	Audit    *accounts.Audit
	SignIn   *accounts.SignIn
	Auth     *accounts.Authenticator
	Outlook  Outlook // nil: no connecting at sign-in
	Log      *slog.Logger
	SiteURL  *url.URL
	LoginURL *url.URL // the identity platform's
	HTTP     *http.Client
	Secure   bool // cookies only over https
	Now      func() time.Time
}

// Handlers are the sign-in's start and callback.
type Handlers struct {
	pages   *view.Renderer
	view    view.Frame
	props   *properties.Store
	states  *states
	verify  *verifiers
	people  *people
	signIn  *accounts.SignIn
	auth    *accounts.Authenticator
	outlook Outlook
	log     *slog.Logger
	site    *url.URL
	login   *url.URL
	hc      *http.Client
	secure  bool
}

// New is the sign-in of o.
func New(o Options) *Handlers {
	hc := o.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &Handlers{
		pages: o.Pages, view: o.Frame, props: o.Props,
		states: &states{db: o.DB, box: o.Box, now: o.Now},
		verify: &verifiers{login: o.LoginURL, hc: hc, now: o.Now},
		people: &people{db: o.DB, users: o.Users, identities: NewIdentities(o.DB), audit: o.Audit, log: o.Log, now: o.Now},
		signIn: o.SignIn, auth: o.Auth, outlook: o.Outlook, log: o.Log,
		site: o.SiteURL, login: o.LoginURL, hc: hc, secure: o.Secure,
	}
}

// Identities is the store of the Microsoft accounts people sign in with.
func (h *Handlers) Identities() *Identities { return h.people.identities }

// oauthConfig is the app registration for a sign-in through tenant, asking for the Outlook
// scopes as well when connect.
func (h *Handlers) oauthConfig(s properties.SignInSettings, tenant string, connect bool) *oauth2.Config {
	base := strings.TrimRight(h.login.String(), "/") + "/" + url.PathEscape(tenant) + "/oauth2/v2.0"
	scopes := []string{oidc.ScopeOpenID, "profile", "email"}
	if connect {
		scopes = append(scopes, outlooksync.Scopes()...)
	}
	return &oauth2.Config{
		ClientID: s.App.ClientID, ClientSecret: s.App.ClientSecret,
		Endpoint:    oauth2.Endpoint{AuthURL: base + "/authorize", TokenURL: base + "/token", AuthStyle: oauth2.AuthStyleInParams},
		RedirectURL: h.site.String() + CallbackPath,
		Scopes:      scopes,
	}
}

// Start is GET /login/microsoft[?next=/path][&outlook=1]: it sends the browser to Microsoft's
// sign-in with PKCE, a nonce and a state bound to this browser; outlook=1 asks in the same
// consent for the calendar, to connect Outlook at once.
func (h *Handlers) Start(c echo.Context) error {
	ctx := c.Request().Context()
	next := accounts.SafeNext(c.QueryParam("next"))
	if _, ok := accounts.AuthOf(c); ok {
		return c.Redirect(http.StatusSeeOther, next)
	}
	s, err := h.props.SignInSettings(ctx)
	if err != nil {
		return err
	}
	if !s.Ready() {
		return h.message(c, http.StatusServiceUnavailable, "Sign in with Microsoft is not set up",
			"This site does not offer Sign in with Microsoft yet. Sign in with your e-mail address and password, or ask a site administrator to set it up (docs/outlook-setup.md).")
	}
	connect := false
	if c.QueryParam("outlook") == "1" && h.outlook != nil {
		if connect, err = h.outlook.ConnectReady(ctx); err != nil {
			return err
		}
	}
	st, err := h.states.create(ctx, h.browserSecret(c), s.Tenant(), next, connect)
	if err != nil {
		return err
	}
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(st.Verifier), oidc.Nonce(st.Nonce),
		oauth2.SetAuthURLParam("response_mode", "query")}
	if hint := strings.TrimSpace(c.QueryParam("login_hint")); hint != "" && len(hint) <= 320 {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", hint))
	}
	return c.Redirect(http.StatusFound, h.oauthConfig(s, s.Tenant(), connect).AuthCodeURL(st.State, opts...))
}

// browserSecret is this browser's sign-in secret, from its cookie or new (and then set).
func (h *Handlers) browserSecret(c echo.Context) string {
	if ck, err := c.Cookie(browserCookie); err == nil && len(ck.Value) == 43 {
		return ck.Value
	}
	v := accounts.RandomToken()
	c.SetCookie(h.cookie(v, int(stateLifetime.Seconds())))
	return v
}

func (h *Handlers) cookie(value string, maxAge int) *http.Cookie {
	// Lax, not Strict: the callback is a top-level navigation from Microsoft's site.
	return &http.Cookie{Name: browserCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode}
}

// boundToThisBrowser reports whether the callback comes to the browser that started row.
func boundToThisBrowser(c echo.Context, row stateRow) bool {
	ck, err := c.Cookie(browserCookie)
	return err == nil && hashEqual(ck.Value, row.Binding)
}

const again = " Nothing was stored. Go back to the sign-in page to try again."

// Callback is GET /oauth2/signin/callback: it checks the state and its browser, redeems the
// code, validates the ID token, finds or makes the account and starts the session. Every
// failure ends on a page that says why, and stores nothing.
func (h *Handlers) Callback(c echo.Context) error {
	ctx := c.Request().Context()
	q := c.QueryParams()
	row, verifier, err := h.states.consume(ctx, q.Get("state"))
	switch {
	case errors.Is(err, errStateUsed):
		return h.message(c, http.StatusBadRequest, "This sign-in was used already",
			"The answer from Microsoft was opened a second time, for example by going back or reloading the page."+again)
	case errors.Is(err, errStateExpired):
		return h.message(c, http.StatusBadRequest, "This sign-in has expired",
			"More than ten minutes passed between Sign in with Microsoft and the answer from Microsoft."+again)
	case errors.Is(err, errStateUnknown):
		return h.message(c, http.StatusBadRequest, "This sign-in is not one we started",
			"The answer from Microsoft does not match a sign-in started on this site; it may have been changed on the way."+again)
	case err != nil:
		return err
	}
	if !boundToThisBrowser(c, row) {
		h.log.Warn("microsoft sign-in: callback in another browser than the one that started it")
		return h.message(c, http.StatusForbidden, "This sign-in was started in another browser",
			"The answer from Microsoft belongs to a sign-in started in another browser or window; a link to it may have been passed on."+again)
	}
	if code := q.Get("error"); code != "" {
		return h.refusedByMicrosoft(c, code, q.Get("error_description"))
	}
	code := q.Get("code")
	if code == "" {
		return h.message(c, http.StatusBadRequest, "Microsoft sent no sign-in code", "The answer from Microsoft was incomplete."+again)
	}
	s, err := h.props.SignInSettings(ctx)
	if err != nil {
		return err
	}
	if !s.Ready() || s.Tenant() != row.Tenant {
		return h.message(c, http.StatusServiceUnavailable, "Sign in with Microsoft changed meanwhile",
			"The site's sign-in settings changed during your sign-in."+again)
	}
	tok, err := h.oauthConfig(s, row.Tenant, row.Connect).Exchange(context.WithValue(ctx, oauth2.HTTPClient, h.hc), code, oauth2.VerifierOption(verifier))
	if err != nil {
		return h.exchangeFailed(c, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return h.message(c, http.StatusBadGateway, "Microsoft sent no ID token",
			"Microsoft redeemed the sign-in but did not say who signed in."+again)
	}
	claims, err := h.verify.verify(ctx, s, raw, row.NonceHash)
	var untrusted *errUntrusted
	var tenant *errTenant
	switch {
	case errors.As(err, &untrusted):
		h.log.Warn("microsoft sign-in: id token refused", "err", err)
		return h.message(c, http.StatusUnauthorized, "Microsoft's answer could not be trusted",
			"The sign-in token that came back cannot be accepted: "+untrusted.reason+"."+again)
	case errors.As(err, &tenant):
		h.log.Warn("microsoft sign-in: tenant not allowed", "tenant", tenant.tenant)
		return h.message(c, http.StatusForbidden, "That account belongs to another organization",
			"You signed in with an account of a Microsoft 365 organization (tenant "+tenant.tenant+") whose people cannot sign in to this site. Sign in with your work account of this organization."+again)
	case err != nil:
		h.log.Warn("microsoft sign-in: validating the id token failed", "err", err)
		return h.message(c, http.StatusBadGateway, "Microsoft could not be reached",
			"The site could not read Microsoft's signing keys to check the sign-in. Try again in a few minutes."+again)
	}
	user, err := h.people.resolve(ctx, s, claims)
	var ref *refusal
	if errors.As(err, &ref) {
		h.log.Info("microsoft sign-in refused", "reason", ref.heading, "tenant", claims.TenantID)
		return h.message(c, ref.status, ref.heading, ref.message)
	}
	if err != nil {
		return err
	}
	var replaced string
	if info, ok := accounts.AuthOf(c); ok && info.Method == accounts.ByCookie {
		replaced = info.SessionID
	}
	session, err := h.signIn.Start(ctx, user, replaced)
	if err != nil {
		return err
	}
	h.auth.SetSessionCookie(c, session)
	c.SetCookie(h.cookie("", -1))
	h.log.Info("signed in with microsoft", "user", user.ID, "tenant", claims.TenantID)
	if row.Connect && h.outlook != nil {
		h.connectOutlook(c, user.ID, tok, claims.TenantID)
	}
	return c.Redirect(http.StatusSeeOther, row.Next)
}

// connectOutlook connects the person's Outlook with the sign-in's own tokens; a failure
// leaves them signed in, and the next page says it.
func (h *Handlers) connectOutlook(c echo.Context, userID int64, tok *oauth2.Token, tenant string) {
	ctx := c.Request().Context()
	label, err := h.outlook.ConnectWithToken(ctx, userID, tok, tenant)
	if err != nil {
		h.log.Warn("microsoft sign-in: connecting outlook failed", "user", userID, "err", err)
		h.view.Flash.Set(c, "You are signed in, but My Calendar could not be connected to Outlook: "+connectProblem(err)+" Use Connect to Outlook on My Calendar to try again.")
		return
	}
	h.view.Flash.Set(c, "My Calendar is now connected to Outlook ("+label+").")
}

// connectProblem words why connecting at sign-in failed.
func connectProblem(err error) string {
	if errors.Is(err, outlooksync.ErrAccountTaken) {
		return "that Outlook account is connected to another person here."
	}
	return "Microsoft's answer did not allow it."
}

// message ends a sign-in on a page that says what happened and what to do.
func (h *Handlers) message(c echo.Context, status int, heading, message string) error {
	return h.pages.Render(c, status, "signin_error.html", view.MessagePage{
		Page: h.view.Page(c, heading), Heading: heading, Message: message,
	})
}
