package httpkit

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// PathID reads the :id path parameter.
func PathID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.NewHTTPError(http.StatusBadRequest, "The event id in the path must be a positive whole number.")
	}
	return id, nil
}

// PathIDOf reads the path parameter name as a positive id; what names it in the message
// ("space id").
func PathIDOf(c echo.Context, name, what string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.NewHTTPError(http.StatusBadRequest, "The "+what+" in the path must be a positive whole number.")
	}
	return id, nil
}
