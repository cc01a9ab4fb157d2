package app

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"intracal/calendar"
)

// apiError is an error with a status, a machine-readable code and a message that is safe to
// show to the person who made the request.
type apiError struct {
	Status  int
	Code    string
	Message string
	Fields  map[string]string
	// CurrentVersion is set on conflicts, so the client can reload and retry.
	CurrentVersion *int
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func newAPIError(status int, code, msg string) *apiError {
	return &apiError{Status: status, Code: code, Message: msg}
}

// errorBody is the JSON shape of every API error.
type errorBody struct {
	Error errorJSON `json:"error"`
}

type errorJSON struct {
	Code           string            `json:"code"`
	Message        string            `json:"message"`
	Fields         map[string]string `json:"fields,omitempty"`
	CurrentVersion *int              `json:"currentVersion,omitempty"`
}

// statusCode names a status that arrives without a code of ours (Echo's own errors).
func statusCode(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "bad_request"
	case http.StatusUnauthorized:
		return "unauthenticated"
	case http.StatusForbidden:
		return "forbidden"
	case http.StatusNotFound:
		return "not_found"
	case http.StatusConflict:
		return "conflict"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusUnprocessableEntity:
		return "invalid"
	case http.StatusTooManyRequests:
		return "too_many_requests"
	}
	return strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "_"))
}

// classify maps any error a handler returns to what the client may be told. Errors it does not
// know become a generic 500; the caller logs those.
func classify(err error) *apiError {
	var (
		ae       *apiError
		he       *echo.HTTPError
		conflict *calendar.ConflictError
		invalid  *calendar.ValidationError
		forbid   *calendar.ForbiddenError
		tooBig   *http.MaxBytesError
	)
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &invalid):
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid",
			Message: invalid.Error(), Fields: invalid.Fields}
	case errors.As(err, &conflict):
		v := conflict.CurrentVersion
		return &apiError{Status: http.StatusConflict, Code: "conflict", Message: conflict.Error(), CurrentVersion: &v}
	case errors.Is(err, calendar.ErrConflict):
		return newAPIError(http.StatusConflict, "conflict", "The item was changed by someone else: reload it and try again.")
	case errors.As(err, &forbid):
		return newAPIError(http.StatusForbidden, "forbidden", forbid.Message)
	case errors.Is(err, calendar.ErrForbidden):
		return newAPIError(http.StatusForbidden, "forbidden", "You may not do this.")
	case errors.Is(err, calendar.ErrNotFound):
		return newAPIError(http.StatusNotFound, "not_found", "Not found.")
	case errors.As(err, &tooBig):
		return newAPIError(http.StatusRequestEntityTooLarge, "too_large", "The request body is larger than 1 MiB.")
	case errors.As(err, &he):
		if he.Code >= 500 {
			break
		}
		code := statusCode(he.Code)
		msg, ok := he.Message.(string)
		if !ok || msg == "" {
			msg = http.StatusText(he.Code)
		}
		return newAPIError(he.Code, code, msg)
	}
	return newAPIError(http.StatusInternalServerError, "internal", "Something went wrong on our side. Please try again; if it keeps happening, tell the site administrator.")
}

// handleError is the Echo error handler: one place where errors become answers. API requests
// get the JSON error body; pages get an HTML page, or the login page when nobody is signed in.
func (a *App) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		a.log.Warn("error after the response started", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
		return
	}
	e := classify(err)
	switch {
	case e.Code == "busy":
		a.log.Warn("listing refused: every listing slot stayed taken", "method", c.Request().Method, "path", c.Request().URL.Path)
	case e.Status >= 500:
		a.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	}
	var werr error
	switch {
	case isAPI(c):
		if c.Request().Method == http.MethodHead {
			werr = c.NoContent(e.Status)
		} else {
			werr = c.JSON(e.Status, errorBody{Error: errorJSON{Code: e.Code, Message: e.Message, Fields: e.Fields, CurrentVersion: e.CurrentVersion}})
		}
	case e.Status == http.StatusUnauthorized:
		werr = c.Redirect(http.StatusSeeOther, loginURL(c))
	default:
		werr = a.pages.render(c, e.Status, "error.html", errorPage{
			Page:    a.page(c, http.StatusText(e.Status)),
			Heading: http.StatusText(e.Status),
			Message: e.Message,
		})
	}
	if werr != nil {
		a.log.Warn("writing the error response", "err", werr)
	}
}

// isAPI tells API requests (JSON errors) from page requests (HTML errors).
func isAPI(c echo.Context) bool {
	p := c.Request().URL.Path
	return p == "/api" || strings.HasPrefix(p, "/api/")
}

// errorPage is the data of error.html.
type errorPage struct {
	Page
	Heading string
	Message string
}
