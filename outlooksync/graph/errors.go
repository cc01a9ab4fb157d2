package graph

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"intracal/outlooksync"
)

// Error is a failed Graph request: the status, Graph's error code and message. It unwraps to
// the outlooksync error that the status means, if any, so callers use errors.Is with
// outlooksync.ErrRemoteNotFound and friends.
type Error struct {
	Op      string // what was attempted, e.g. "delta", "update"
	Status  int
	Code    string
	Message string
	kind    error
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("graph %s: status %d", e.Op, e.Status)
	if e.Code != "" {
		msg += " " + e.Code
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

func (e *Error) Unwrap() error { return e.kind }

// HTTPStatus is the status Graph answered (publishing tells a refusal for want of consent,
// 403, by it).
func (e *Error) HTTPStatus() int { return e.Status }

// classifyStatus gives the outlooksync error for a status and Graph error code, or a
// *outlooksync.ThrottledError, or nil.
func classifyStatus(status int, code string, retryAfter time.Duration) error {
	switch {
	case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable:
		return &outlooksync.ThrottledError{RetryAfter: retryAfter, Status: status}
	case status == http.StatusGone || strings.EqualFold(code, "syncStateNotFound") ||
		strings.EqualFold(code, "resyncRequired") || strings.EqualFold(code, "syncStateInvalid"):
		return outlooksync.ErrResyncNeeded
	case status == http.StatusNotFound:
		return outlooksync.ErrRemoteNotFound
	case status == http.StatusPreconditionFailed:
		return outlooksync.ErrPreconditionFailed
	case status == http.StatusUnauthorized:
		// The request was sent with a freshly refreshed token and still refused: consent
		// was withdrawn or the account disabled. Only the user can fix that.
		return outlooksync.ErrReconnectNeeded
	}
	return nil
}

// mapError turns what the SDK returned into our errors.
func mapError(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, outlooksync.ErrReconnectNeeded) || errors.Is(err, context.Canceled) ||
		errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var odata *odataerrors.ODataError
	var api abs.ApiErrorable
	e := &Error{Op: op}
	var headers *abs.ResponseHeaders
	switch {
	case errors.As(err, &odata):
		e.Status = odata.GetStatusCode()
		headers = odata.GetResponseHeaders()
		if main := odata.GetErrorEscaped(); main != nil {
			e.Code, e.Message = deref(main.GetCode()), deref(main.GetMessage())
		}
	case errors.As(err, &api):
		e.Status = api.GetStatusCode()
		headers = api.GetResponseHeaders()
		e.Message = err.Error()
	default:
		return fmt.Errorf("graph %s: %w", op, err)
	}
	var wait time.Duration
	if headers != nil {
		if v := headers.Get("Retry-After"); len(v) > 0 {
			wait = parseRetryAfter(v[0])
		}
	}
	kind := classifyStatus(e.Status, e.Code, wait)
	var thr *outlooksync.ThrottledError
	if errors.As(kind, &thr) {
		return thr
	}
	e.kind = kind
	return e
}

// parseRetryAfter reads Retry-After in seconds (Graph's form) or as an HTTP date.
func parseRetryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 && !math.IsInf(s, 0) {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
