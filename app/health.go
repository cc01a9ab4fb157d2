package app

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

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
