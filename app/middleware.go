package app

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/labstack/echo/v4"
	"intracal/app/httpkit"
)

// recoverPanics turns a panic in a handler into a logged 500, so one bad request never takes
// the server down.
func (a *App) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			if r == http.ErrAbortHandler {
				panic(r)
			}
			a.log.Error("panic in handler", "method", c.Request().Method, "path", c.Request().URL.Path,
				"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", r)
		}()
		return next(c)
	}
}

// logRequests logs each request at debug level, and server errors at the handler.
func (a *App) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err) // answer now, so the status below is the one sent
		}
		a.log.Debug("request", "method", c.Request().Method, "path", c.Request().URL.Path,
			"status", c.Response().Status, "took", time.Since(start))
		return nil
	}
}

// crossOrigin refuses state-changing requests that a browser marks as coming from another
// site (Sec-Fetch-Site, Origin), before any other check. Requests without those headers, such
// as scripts with an API token, pass; cookie-authenticated ones still need the CSRF token.
func (a *App) crossOrigin(next echo.HandlerFunc) echo.HandlerFunc {
	cop := http.NewCrossOriginProtection()
	// Behind a proxy that rewrites Host, the configured site address is still our own origin.
	if err := cop.AddTrustedOrigin(a.cfg.SiteURL.Scheme + "://" + a.cfg.SiteURL.Host); err != nil {
		a.log.Warn("site URL is not a valid origin", "err", err)
	}
	return func(c echo.Context) error {
		if err := cop.Check(c.Request()); err != nil {
			return httpkit.NewError(http.StatusForbidden, "cross_origin", "This request came from another site and was refused.")
		}
		return next(c)
	}
}
