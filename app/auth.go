package app

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"intracal/app/httpkit"
	"intracal/calendar"
)

// Names of the session cookie. With an https site the __Host- prefix makes the browser insist
// on Secure, Path=/ and no Domain, so a sibling host cannot plant a session.
const (
	sessionCookie       = "calendar_session"
	secureSessionCookie = "__Host-calendar_session"
	csrfHeader          = "X-CSRF-Token"
	csrfField           = "csrf_token"
)

func (a *App) cookieName() string {
	if a.cfg.SecureCookies() {
		return secureSessionCookie
	}
	return sessionCookie
}

// authenticate learns who makes the request, from an Authorization: Bearer API token or the
// session cookie, and leaves it for currentViewer. It lets anonymous requests through;
// requireUser decides where that is not enough. A bad bearer token is refused outright rather
// than treated as anonymous, so that a script with a revoked token fails loudly.
func (a *App) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		if c.Request().URL.Path == metricsPath {
			return next(c) // for the monitoring system, with a token of its own (sync.go)
		}
		if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
			scheme, token, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
				return httpkit.NewError(http.StatusUnauthorized, "unauthenticated", "Use Authorization: Bearer followed by a personal API token.")
			}
			row, err := a.tokens.lookup(ctx, strings.TrimSpace(token))
			if errors.Is(err, errNoToken) {
				return httpkit.NewError(http.StatusUnauthorized, "unauthenticated", "The API token is not valid: it is unknown or was revoked.")
			}
			if errors.Is(err, errTokenExpired) {
				return httpkit.NewError(http.StatusUnauthorized, "token_expired", "The API token has expired: create a new one on Your settings.")
			}
			if err != nil {
				return err
			}
			u, err := a.users.byID(ctx, row.UserID)
			if errors.Is(err, calendar.ErrNotFound) || (err == nil && !u.Active()) {
				// Disabling revokes every token; this holds should one be issued meanwhile.
				return httpkit.NewError(http.StatusUnauthorized, "unauthenticated", "The API token is not valid: its account is disabled.")
			}
			if err != nil {
				return err
			}
			c.Set(authKey, authInfo{viewer: viewerOf(u), method: byBearer})
			return next(c)
		}

		cookie, err := c.Cookie(a.cookieName())
		if err != nil || cookie.Value == "" {
			return next(c)
		}
		sess, err := a.sessions.lookup(ctx, cookie.Value)
		if errors.Is(err, errNoSession) {
			a.clearSessionCookie(c)
			return next(c)
		}
		if err != nil {
			return err
		}
		u, err := a.users.byID(ctx, sess.UserID)
		if errors.Is(err, calendar.ErrNotFound) || (err == nil && !u.Active()) {
			a.clearSessionCookie(c)
			return next(c)
		}
		if err != nil {
			return err
		}
		if err := a.sessions.touch(ctx, sess); err != nil {
			a.log.Warn("session touch", "err", err) // the request can go on without it
		}
		c.Set(authKey, authInfo{viewer: viewerOf(u), method: byCookie, sessionID: sess.ID, csrfToken: sess.CSRFToken})
		return next(c)
	}
}

// checkCSRF refuses a state-changing request authenticated by the session cookie unless it
// carries the session's CSRF token. Bearer requests need none: a browser never adds that
// header by itself.
func (a *App) checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		info, ok := authOf(c)
		if !ok || info.method != byCookie || isSafeMethod(c.Request().Method) {
			return next(c)
		}
		sent := c.Request().Header.Get(csrfHeader)
		if sent == "" && isForm(c.Request()) {
			// The form body only: a token in the URL ends up in logs, history and Referer.
			sent = c.Request().PostFormValue(csrfField)
		}
		if sent == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(info.csrfToken)) != 1 {
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

// requireUser lets only signed-in people through. The error handler answers 401 JSON to API
// requests and sends pages to the login form.
func requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := authOf(c); !ok {
			return httpkit.NewError(http.StatusUnauthorized, "unauthenticated", "Sign in, or send Authorization: Bearer with a personal API token.")
		}
		return next(c)
	}
}

// requireAdmin lets only site administrators through (the Control Panel).
func requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return requireUser(func(c echo.Context) error {
		if !currentViewer(c).IsAdmin {
			return httpkit.NewError(http.StatusForbidden, "forbidden", "Only site administrators may open this.")
		}
		return next(c)
	})
}

// loginURL is the login page that returns to the current page afterwards (for GET requests).
func loginURL(c echo.Context) string {
	r := c.Request()
	if r.Method != http.MethodGet || r.URL.Path == "/" {
		return "/login"
	}
	return "/login?next=" + url.QueryEscape(r.URL.RequestURI())
}

// safeNext keeps the post-login redirect on this site: a local path, never //host or /\host.
func safeNext(next string) string {
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

func (a *App) setSessionCookie(c echo.Context, token string) {
	c.SetCookie(&http.Cookie{
		Name:     a.cookieName(),
		Value:    token,
		Path:     "/",
		MaxAge:   int(sessionMaxAge.Seconds()),
		HttpOnly: true,
		Secure:   a.cfg.SecureCookies(),
		SameSite: http.SameSiteLaxMode,
	})
}

func (a *App) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{
		Name:     a.cookieName(),
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   a.cfg.SecureCookies(),
		SameSite: http.SameSiteLaxMode,
	})
}
