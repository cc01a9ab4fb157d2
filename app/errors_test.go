package app

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/calendar"
	"intracal/migrations/dbtest"
)

func TestErrorsBecomeSafeJSONAnswers(t *testing.T) {
	db := dbtest.SQLite(t)
	a := newTestApp(t, db)
	u := addUser(t, a, "anna@example.com", "Anna", "", false)
	token, err := a.tokens.Create(t.Context(), u.ID, "t")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		err     error
		status  int
		code    string
		message string // part of the message; "" to skip
		fields  map[string]string
		version int
	}{
		{"not found", fmt.Errorf("load event 7: %w", calendar.ErrNotFound), 404, "not_found", "Not found", nil, 0},
		{"forbidden", calendar.ErrForbidden, 403, "forbidden", "", nil, 0},
		{"forbidden with message", &calendar.ForbiddenError{Message: "Only the organizer may edit."}, 403, "forbidden", "Only the organizer may edit.", nil, 0},
		{"conflict", fmt.Errorf("edit: %w", &calendar.ConflictError{CurrentVersion: 7}), 409, "conflict", "version 7", nil, 7},
		{"validation", &calendar.ValidationError{Fields: map[string]string{"title": "Too long."}}, 422, "invalid", "", map[string]string{"title": "Too long."}, 0},
		{"echo 400", echo.NewHTTPError(http.StatusBadRequest, "Malformed JSON at byte 3."), 400, "bad_request", "Malformed JSON at byte 3.", nil, 0},
		{"own error", httpkit.NewError(http.StatusTooManyRequests, "slow_down", "Wait a minute."), 429, "slow_down", "Wait a minute.", nil, 0},
		{"internal", errors.New("pq: password authentication failed for user calendar with secret s3cr3t"), 500, "internal", "Something went wrong", nil, 0},
		{"echo 500 keeps its internals", echo.NewHTTPError(http.StatusInternalServerError, "stack trace s3cr3t"), 500, "internal", "Something went wrong", nil, 0},
	}
	for i, tt := range tests {
		path := fmt.Sprintf("/api/v1/fail/%d", i)
		errToReturn := tt.err
		a.echo.GET(path, func(echo.Context) error { return errToReturn }, accounts.RequireUser)
		t.Run(tt.name, func(t *testing.T) {
			res := newBrowser(t, a).do(http.MethodGet, path, nil, http.Header{"Authorization": {"Bearer " + token}})
			raw := readBody(res)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.status, raw)
			}
			if strings.Contains(raw, "s3cr3t") || strings.Contains(raw, "pq:") {
				t.Errorf("internal detail leaked: %s", raw)
			}
			e := apiErr(t, &http.Response{StatusCode: res.StatusCode, Body: io.NopCloser(strings.NewReader(raw))})
			if e.Code != tt.code || !strings.Contains(e.Message, tt.message) {
				t.Errorf("error %+v, want code %s and a message with %q", e, tt.code, tt.message)
			}
			if fmt.Sprint(e.Fields) != fmt.Sprint(tt.fields) {
				t.Errorf("fields %v, want %v", e.Fields, tt.fields)
			}
			if tt.version != 0 && (e.CurrentVersion == nil || *e.CurrentVersion != tt.version) {
				t.Errorf("currentVersion %v, want %d", e.CurrentVersion, tt.version)
			}
		})
	}
}

func TestPanicIsA500AndTheServerGoesOn(t *testing.T) {
	db := dbtest.SQLite(t)
	a := newTestApp(t, db)
	a.echo.GET("/api/v1/panic", func(echo.Context) error { panic("nil map somewhere") })
	b := newBrowser(t, a)
	res := b.get("/api/v1/panic")
	if res.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", res.StatusCode)
	}
	if strings.Contains(readBody(res), "nil map") {
		t.Error("the panic value reached the client")
	}
	if res := b.get("/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("after a panic, /healthz answers %d", res.StatusCode)
	}
}

func TestBodiesOver1MiBAre413(t *testing.T) {
	db := dbtest.SQLite(t)
	a := newTestApp(t, db)
	a.echo.POST("/api/v1/echo", func(c echo.Context) error {
		b, err := io.ReadAll(c.Request().Body)
		if err != nil {
			return err
		}
		return c.String(http.StatusOK, fmt.Sprint(len(b)))
	})
	big := bytes.Repeat([]byte("x"), httpkit.MaxRequestBody+1)
	tests := []struct {
		name string
		body io.Reader
		want int
	}{
		{"announced", bytes.NewReader(big), http.StatusRequestEntityTooLarge},
		// No length announced: the limit must still hold while reading.
		{"streamed", io.MultiReader(bytes.NewReader(big)), http.StatusRequestEntityTooLarge},
		{"just within", bytes.NewReader(big[:httpkit.MaxRequestBody]), http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := newBrowser(t, a).do(http.MethodPost, "/api/v1/echo", tt.body, http.Header{"Content-Type": {"application/json"}})
			if res.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.want)
			}
			if tt.want == http.StatusRequestEntityTooLarge {
				if e := apiErr(t, res); e.Code != "too_large" {
					t.Errorf("code %q, want too_large", e.Code)
				}
			}
		})
	}
}

func TestUnknownRoutes(t *testing.T) {
	db := dbtest.SQLite(t)
	a := newTestApp(t, db)
	u := addUser(t, a, "anna@example.com", "Anna", "", false)
	token, _ := a.tokens.Create(t.Context(), u.ID, "t")
	b := newBrowser(t, a)
	if res := b.get("/api/v1/nothing-here"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous unknown API path: %d, want 401 (nothing about the API without signing in)", res.StatusCode)
	}
	res := b.do(http.MethodGet, "/api/v1/nothing-here", nil, http.Header{"Authorization": {"Bearer " + token}})
	if res.StatusCode != http.StatusNotFound || apiErr(t, res).Code != "not_found" {
		t.Errorf("unknown API path: status %d, want 404 not_found", res.StatusCode)
	}
	res = b.get("/no-such-page")
	if body := readBody(res); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "<html") {
		t.Errorf("unknown page: status %d, want an HTML 404 page", res.StatusCode)
	}
}
