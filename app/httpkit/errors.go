package httpkit

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"intracal/calendar"
)

// Error is an error with a status, a machine-readable code and a message that is safe to
// show to the person who made the request.
type Error struct {
	Status  int
	Code    string
	Message string
	Fields  map[string]string
	// CurrentVersion is set on conflicts, so the client can reload and retry.
	CurrentVersion *int
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func NewError(status int, code, msg string) *Error {
	return &Error{Status: status, Code: code, Message: msg}
}

// ErrorBody is the JSON shape of every API error.
type ErrorBody struct {
	Error ErrorJSON `json:"error"`
}

type ErrorJSON struct {
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

// Classify maps any error a handler returns to what the client may be told. Errors it does not
// know become a generic 500; the caller logs those.
func Classify(err error) *Error {
	var (
		ae       *Error
		he       *echo.HTTPError
		conflict *calendar.ConflictError
		invalid  *calendar.ValidationError
		forbid   *calendar.ForbiddenError
		undo     *calendar.UndoError
		spaceErr *calendar.SpaceConflictError
		tooBig   *http.MaxBytesError
	)
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &undo):
		switch undo.Reason {
		case calendar.UndoExpired:
			return NewError(http.StatusGone, "undo_expired", undo.Message)
		case calendar.UndoChanged:
			return NewError(http.StatusConflict, "conflict", undo.Message)
		}
		return NewError(http.StatusNotFound, "not_found", undo.Message)
	case errors.As(err, &invalid):
		return &Error{Status: http.StatusUnprocessableEntity, Code: "invalid",
			Message: invalid.Error(), Fields: invalid.Fields}
	case errors.As(err, &conflict):
		v := conflict.CurrentVersion
		return &Error{Status: http.StatusConflict, Code: "conflict", Message: conflict.Error(), CurrentVersion: &v}
	case errors.As(err, &spaceErr):
		return NewError(http.StatusConflict, "conflict", spaceErr.Message)
	case errors.Is(err, calendar.ErrConflict):
		return NewError(http.StatusConflict, "conflict", "The item was changed by someone else: reload it and try again.")
	case errors.As(err, &forbid):
		return NewError(http.StatusForbidden, "forbidden", forbid.Message)
	case errors.Is(err, calendar.ErrForbidden):
		return NewError(http.StatusForbidden, "forbidden", "You may not do this.")
	case errors.Is(err, calendar.ErrNotFound):
		return NewError(http.StatusNotFound, "not_found", "Not found.")
	case errors.As(err, &tooBig):
		return NewError(http.StatusRequestEntityTooLarge, "too_large", "The request body is larger than 1 MiB.")
	case errors.As(err, &he):
		if he.Code >= 500 {
			break
		}
		code := statusCode(he.Code)
		msg, ok := he.Message.(string)
		if !ok || msg == "" {
			msg = http.StatusText(he.Code)
		}
		return NewError(he.Code, code, msg)
	}
	return NewError(http.StatusInternalServerError, "internal", "Something went wrong on our side. Please try again; if it keeps happening, tell the site administrator.")
}

// isAPI tells API requests (JSON errors) from page requests (HTML errors).
func IsAPI(c echo.Context) bool {
	p := c.Request().URL.Path
	return p == "/api" || strings.HasPrefix(p, "/api/")
}
