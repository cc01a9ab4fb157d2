package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
)

// home is the signed-in start page: My Calendar's month view.
func (a *App) home(c echo.Context) error {
	return a.myCalendar(c)
}

// meJSON is the answer of GET /api/v1/me.
type meJSON struct {
	ID       int64  `json:"id"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	TimeZone string `json:"timeZone"`
	IsAdmin  bool   `json:"isAdmin"`
}

// me tells an API client who its token or session belongs to.
func (a *App) me(c echo.Context) error {
	v := accounts.CurrentViewer(c)
	return c.JSON(http.StatusOK, meJSON{ID: v.UserID, Email: v.Email, Name: v.Name, TimeZone: v.TimeZone, IsAdmin: v.IsAdmin})
}

// health answers load balancers: 200 when the database answers.
func (a *App) health(c echo.Context) error {
	sqlDB, err := a.db.DB()
	if err == nil {
		err = sqlDB.PingContext(c.Request().Context())
	}
	if err != nil {
		a.log.Warn("health check: database", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}
