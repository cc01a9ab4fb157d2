package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/app/internal/apptest"
	"intracal/calendar"
)

// harness is the event API on a real database behind the real authentication, with a few
// people holding API tokens. The app's own tests go through its whole router; these are for
// what only this package can see (the JSON shapes, the stream's buffer).
type harness struct {
	t      *testing.T
	cal    *calendar.Store
	people *accounts.Directory
	users  *accounts.Users
	e      *echo.Echo
	tokens map[string]string // email -> bearer token
}

func newHarness(t *testing.T, db *gorm.DB) *harness {
	t.Helper()
	now := func() time.Time { return time.Now().UTC() }
	users := accounts.NewUsers(db, now)
	tokens := accounts.NewTokens(db, now)
	h := &harness{t: t, cal: calendar.NewStore(db), people: accounts.NewDirectory(users), users: users,
		e: echo.New(), tokens: map[string]string{}}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	auth := accounts.NewAuthenticator(users, accounts.NewSessions(db, now), tokens, log, false, "")
	h.e.HTTPErrorHandler = func(err error, c echo.Context) {
		e := httpkit.Classify(err)
		_ = c.JSON(e.Status, httpkit.ErrorBody{Error: httpkit.ErrorJSON{Code: e.Code, Message: e.Message, Fields: e.Fields}})
	}
	h.e.Use(auth.Authenticate)
	events := NewEvents(h.cal, h.people, now)
	v1 := h.e.Group("/api/v1", accounts.RequireUser)
	v1.POST("/events", events.Create)
	v1.PATCH("/events/:id", events.Edit)
	v1.PUT("/events/:id/rsvp", events.RSVP)
	v1.GET("/occurrences", events.Occurrences)
	for _, email := range []string{"alice@example.com", "bob@example.com"} {
		u, err := users.Create(context.Background(), accounts.NewUser{Email: email, Name: email[:3], TimeZone: "Europe/Berlin"})
		if err != nil {
			t.Fatal(err)
		}
		if h.tokens[email], err = tokens.Create(context.Background(), u.ID, "test"); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

// mustDo sends a JSON request as the person and decodes the answer, which must have status want.
func (h *harness) mustDo(as, method, path string, body any, want int) map[string]any {
	h.t.Helper()
	data, _ := json.Marshal(body)
	req := httptest.NewRequest(method, path, bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+h.tokens[as])
	rec := httptest.NewRecorder()
	h.e.ServeHTTP(rec, req)
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != want {
		h.t.Fatalf("%s %s: status %d, want %d: %s", method, path, rec.Code, want, rec.Body.String())
	}
	return out
}

// raw sends a GET as the person and returns the recorded answer.
func (h *harness) raw(as, path string) *httptest.ResponseRecorder {
	h.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+h.tokens[as])
	rec := httptest.NewRecorder()
	h.e.ServeHTTP(rec, req)
	return rec
}

// userID finds the id of one of the harness's people.
func (h *harness) userID(email string) int64 {
	h.t.Helper()
	u, err := h.users.ByEmail(context.Background(), email)
	if err != nil {
		h.t.Fatal(err)
	}
	return u.ID
}

// seedDailySeries gives the person n endless daily series, public, begun in 2025.
func (h *harness) seedDailySeries(email string, n int) {
	h.t.Helper()
	apptest.SeedDailySeries(h.t, h.cal, h.userID(email), n)
}
