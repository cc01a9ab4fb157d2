package httpkit

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// MaxRequestBody bounds every request body; larger ones get 413.
const MaxRequestBody = 1 << 20

// MaxImportBody bounds the body of an iCalendar import (ImportPaths): a file of 10,000
// events is a few megabytes.
const MaxImportBody = 32 << 20

// The paths whose bodies may be as large as MaxImportBody: the import form and its API.
const (
	ImportPagePath = "/import"
	ImportAPIPath  = "/api/v1/imports"
)

// LimitBody answers 413 to a body that announces more than the limit and cuts off one that
// sends more than it announced. The limit is MaxRequestBody, MaxImportBody for the import paths.
func LimitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		limit, what := int64(MaxRequestBody), "1 MiB"
		if req.URL.Path == ImportPagePath || req.URL.Path == ImportAPIPath {
			limit, what = MaxImportBody, "32 MiB"
		}
		if req.ContentLength > limit {
			return NewError(http.StatusRequestEntityTooLarge, "too_large", "The request body is larger than "+what+".")
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
		return next(c)
	}
}

// SecurityHeaders keeps pages from being framed or sniffed, and scripts to our own files.
func SecurityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'")
		if strings.HasPrefix(c.Request().URL.Path, "/api/") {
			// Every API answer is someone's data (events, answers, connections): kept by no
			// cache, as pages are (render.go), errors included.
			h.Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}
