package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
)

// meJSON is the answer of GET /api/v1/me.
type meJSON struct {
	ID       int64  `json:"id"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	TimeZone string `json:"timeZone"`
	IsAdmin  bool   `json:"isAdmin"`
}

// Me is GET /api/v1/me: it tells an API client who its token or session belongs to.
func Me(c echo.Context) error {
	v := accounts.CurrentViewer(c)
	return c.JSON(http.StatusOK, meJSON{ID: v.UserID, Email: v.Email, Name: v.Name, TimeZone: v.TimeZone, IsAdmin: v.IsAdmin})
}
