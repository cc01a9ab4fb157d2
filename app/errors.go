package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/app/view"
)

// handleError is the Echo error handler: one place where errors become answers. API requests
// get the JSON error body; pages get an HTML page, or the login page when nobody is signed in.
func (a *App) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		a.log.Warn("error after the response started", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
		return
	}
	e := httpkit.Classify(err)
	switch {
	case e.Code == "busy":
		a.log.Warn("listing refused: every listing slot stayed taken", "method", c.Request().Method, "path", c.Request().URL.Path)
	case e.Status >= 500:
		a.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	}
	var werr error
	switch {
	case httpkit.IsAPI(c):
		if c.Request().Method == http.MethodHead {
			werr = c.NoContent(e.Status)
		} else {
			werr = c.JSON(e.Status, httpkit.ErrorBody{Error: httpkit.ErrorJSON{Code: e.Code, Message: e.Message, Fields: e.Fields, CurrentVersion: e.CurrentVersion}})
		}
	case e.Status == http.StatusUnauthorized:
		werr = c.Redirect(http.StatusSeeOther, accounts.LoginURL(c))
	default:
		werr = a.pages.Render(c, e.Status, "error.html", view.MessagePage{
			Page:    a.frame.Page(c, http.StatusText(e.Status)),
			Heading: http.StatusText(e.Status),
			Message: e.Message,
		})
	}
	if werr != nil {
		a.log.Warn("writing the error response", "err", werr)
	}
}
