package app

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// home is the signed-in start page: My Calendar's month view.
func (a *App) home(c echo.Context) error {
	return a.myCalendar(c)
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
