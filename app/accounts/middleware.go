package accounts

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"log/slog"

	"github.com/labstack/echo/v4"

	"intracal/app/httpkit"
	"intracal/calendar"
)

// Names of the session cookie. With an https site the __Host- prefix makes the browser insist
// on Secure, Path=/ and no Domain, so a sibling host cannot plant a session.
const (
	SessionCookie       = "calendar_session"
	SecureSessionCookie = "__Host-calendar_session"
	csrfHeader          = "X-CSRF-Token"
	csrfField           = "csrf_token"
)

// Authenticator is the authentication middleware and the session cookie it reads.
type Authenticator struct {
	users    *Users
	sessions *Sessions
	tokens   *Tokens
	log      *slog.Logger
	secure   bool   // an https site: the __Host- cookie, Secure
	skipPath string // a path with a bearer token of its own, not a person's (the metrics)
}

// NewAuthenticator builds the middleware. secure is true for an https site; requests to
// skipPath pass unauthenticated.
func NewAuthenticator(users *Users, sessions *Sessions, tokens *Tokens, log *slog.Logger, secure bool, skipPath string) *Authenticator {
	return &Authenticator{users: users, sessions: sessions, tokens: tokens, log: log, secure: secure, skipPath: skipPath}
}

// CookieName is the name of the session cookie.
func (a *Authenticator) CookieName() string {
	if a.secure {
		return SecureSessionCookie
	}
	return SessionCookie
}

// Authenticate learns who makes the request, from an Authorization: Bearer API token or the
// session cookie, and leaves it for CurrentViewer. It lets anonymous requests through;
// RequireUser decides where that is not enough. A bad bearer token is refused outright rather
// than treated as anonymous, so that a script with a revoked token fails loudly.
func (a *Authenticator) Authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		if a.skipPath != "" && c.Request().URL.Path == a.skipPath {
			return next(c) // for the monitoring system, with a token of its own
		}
		if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
			scheme, token, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
				return httpkit.NewError(http.StatusUnauthorized, "unauthenticated", "Use Authorization: Bearer followed by a personal API token.")
			}
			row, err := a.tokens.Lookup(ctx, strings.TrimSpace(token))
			if errors.Is(err, ErrNoToken) {
				return httpkit.NewError(http.StatusUnauthorized, "unauthenticated", "The API token is not valid: it is unknown or was revoked.")
			}
			if errors.Is(err, ErrTokenExpired) {
				return httpkit.NewError(http.StatusUnauthorized, "token_expired", "The API token has expired: create a new one on Your settings.")
			}
			if err != nil {
				return err
			}
			u, err := a.users.ByID(ctx, row.UserID)
			if errors.Is(err, calendar.ErrNotFound) || (err == nil && !u.Active()) {
				// Disabling revokes every token; this holds should one be issued meanwhile.
				return httpkit.NewError(http.StatusUnauthorized, "unauthenticated", "The API token is not valid: its account is disabled.")
			}
			if err != nil {
				return err
			}
			c.Set(authKey, AuthInfo{Viewer: ViewerOf(u), Method: ByBearer})
			return next(c)
		}

		cookie, err := c.Cookie(a.CookieName())
		if err != nil || cookie.Value == "" {
			return next(c)
		}
		sess, err := a.sessions.Lookup(ctx, cookie.Value)
		if errors.Is(err, ErrNoSession) {
			a.ClearSessionCookie(c)
			return next(c)
		}
		if err != nil {
			return err
		}
		u, err := a.users.ByID(ctx, sess.UserID)
		if errors.Is(err, calendar.ErrNotFound) || (err == nil && !u.Active()) {
			a.ClearSessionCookie(c)
			return next(c)
		}
		if err != nil {
			return err
		}
		if err := a.sessions.Touch(ctx, sess); err != nil {
			a.log.Warn("session touch", "err", err) // the request can go on without it
		}
		c.Set(authKey, AuthInfo{Viewer: ViewerOf(u), Method: ByCookie, SessionID: sess.ID, CSRFToken: sess.CSRFToken})
		return next(c)
	}
}

// CheckCSRF refuses a state-changing request authenticated by the session cookie unless it
// carries the session's CSRF token. Bearer requests need none: a browser never adds that
// header by itself.
func (a *Authenticator) CheckCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		info, ok := AuthOf(c)
		if !ok || info.Method != ByCookie || isSafeMethod(c.Request().Method) {
			return next(c)
		}
		sent := c.Request().Header.Get(csrfHeader)
		if sent == "" && isForm(c.Request()) {
			// The form body only: a token in the URL ends up in logs, history and Referer.
			sent = c.Request().PostFormValue(csrfField)
		}
		if sent == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(info.CSRFToken)) != 1 {
			return httpkit.NewError(http.StatusForbidden, "csrf",
				"The form has expired or did not come from this site. Reload the page and try again.")
		}
		return next(c)
	}
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions || m == http.MethodTrace
}

func isForm(r *http.Request) bool {
	ct := r.Header.Get(echo.HeaderContentType)
	return strings.HasPrefix(ct, echo.MIMEApplicationForm) || strings.HasPrefix(ct, echo.MIMEMultipartForm)
}

// RequireUser lets only signed-in people through. The error handler answers 401 JSON to API
// requests and sends pages to the login form.
func RequireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := AuthOf(c); !ok {
			return httpkit.NewError(http.StatusUnauthorized, "unauthenticated", "Sign in, or send Authorization: Bearer with a personal API token.")
		}
		return next(c)
	}
}

// RequireAdmin lets only site administrators through (the Control Panel).
func RequireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return RequireUser(func(c echo.Context) error {
		if !CurrentViewer(c).IsAdmin {
			return httpkit.NewError(http.StatusForbidden, "forbidden", "Only site administrators may open this.")
		}
		return next(c)
	})
}

// LoginURL is the login page that returns to the current page afterwards (for GET requests).
func LoginURL(c echo.Context) string {
	r := c.Request()
	if r.Method != http.MethodGet || r.URL.Path == "/" {
		return "/login"
	}
	return "/login?next=" + url.QueryEscape(r.URL.RequestURI())
}

// SafeNext keeps the post-login redirect on this site: a local path, never //host or /\host.
func SafeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}

// SetSessionCookie gives the browser the session's token.
func (a *Authenticator) SetSessionCookie(c echo.Context, token string) {
	c.SetCookie(a.cookie(token, int(sessionMaxAge.Seconds())))
}

// ClearSessionCookie makes the browser forget the session cookie.
func (a *Authenticator) ClearSessionCookie(c echo.Context) { c.SetCookie(a.cookie("", -1)) }

func (a *Authenticator) cookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     a.CookieName(),
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   a.secure,
		SameSite: http.SameSiteLaxMode,
	}
}
