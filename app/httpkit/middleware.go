package httpkit

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// MaxRequestBody bounds every request body; larger ones get 413.
const MaxRequestBody = 1 << 20

// LimitBody answers 413 to a body that announces more than the limit and cuts off one that
// sends more than it announced.
func LimitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.ContentLength > MaxRequestBody {
			return NewError(http.StatusRequestEntityTooLarge, "too_large", "The request body is larger than 1 MiB.")
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, MaxRequestBody)
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
