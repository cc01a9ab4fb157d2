package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/app/internal/apptest"
	"intracal/config"
	"intracal/migrations/dbtest"
)

// apiHarness is the app on a real database with a few people holding API tokens.
type apiHarness struct {
	t      *testing.T
	app    *App
	tokens map[string]string // email -> bearer token
}

func newAPIHarness(t *testing.T, db *gorm.DB) *apiHarness {
	t.Helper()
	site, _ := url.Parse("http://127.0.0.1:8080")
	cfg := config.Config{Addr: "127.0.0.1:8080", SiteURL: site}
	for i := range cfg.SecretKey {
		cfg.SecretKey[i] = byte(i + 1)
	}
	a, err := New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), db, WithBcryptCost(bcrypt.MinCost))
	if err != nil {
		t.Fatal(err)
	}
	h := &apiHarness{t: t, app: a, tokens: map[string]string{}}
	for _, p := range []struct {
		email, name string
		admin       bool
	}{{"alice@example.com", "Alice", false}, {"bob@example.com", "Bob", false}, {"carol@example.com", "Carol", false}, {"admin@example.com", "Ada Admin", true}} {
		u, err := a.users.Create(context.Background(), accounts.NewUser{Email: p.email, Name: p.name, IsAdmin: p.admin, TimeZone: "Europe/Berlin"})
		if err != nil {
			t.Fatal(err)
		}
		tok, err := a.tokens.Create(context.Background(), u.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		h.tokens[p.email] = tok
	}
	return h
}

// do sends a request as the person with email ("" for nobody) and decodes a JSON answer.
func (h *apiHarness) do(as, method, path string, body any) (int, map[string]any) {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		rd = bytes.NewReader(data)
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Content-Type", "application/json")
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+h.tokens[as])
	}
	rec := httptest.NewRecorder()
	h.app.Handler().ServeHTTP(rec, req)
	var out map[string]any
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			h.t.Fatalf("%s %s: answer is not JSON (%d): %s", method, path, rec.Code, rec.Body.String())
		}
	}
	return rec.Code, out
}

func (h *apiHarness) mustDo(as, method, path string, body any, want int) map[string]any {
	h.t.Helper()
	code, out := h.do(as, method, path, body)
	if code != want {
		h.t.Fatalf("%s %s: status %d, want %d: %v", method, path, code, want, out)
	}
	return out
}

// userID finds the id of one of the harness's people.
func (h *apiHarness) userID(email string) int64 {
	h.t.Helper()
	u, err := h.app.users.ByEmail(context.Background(), email)
	if err != nil {
		h.t.Fatal(err)
	}
	return u.ID
}

// raw sends a GET as the person through the real router and returns the recorded answer.
func (h *apiHarness) raw(as, path string) *httptest.ResponseRecorder {
	h.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+h.tokens[as])
	rec := httptest.NewRecorder()
	h.app.Handler().ServeHTTP(rec, req)
	return rec
}

// seedDailySeries gives the person n endless daily series, public, begun in 2025.
func (h *apiHarness) seedDailySeries(email string, n int) {
	h.t.Helper()
	apptest.SeedDailySeries(h.t, h.app.store, h.userID(email), n)
}

func occTitles(out map[string]any) []string {
	var titles []string
	for _, o := range out["occurrences"].([]any) {
		m := o.(map[string]any)
		titles = append(titles, m["start"].(string)[:16]+" "+m["title"].(string))
	}
	return titles
}

func TestAPIEventLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newAPIHarness(t, db)
		ev := h.mustDo("alice@example.com", "POST", "/api/v1/events", map[string]any{
			"title": "Standup", "start": "2026-03-02T09:00:00", "end": "2026-03-02T09:15:00",
			"timeZone": "Europe/Berlin", "rrule": "FREQ=WEEKLY;BYDAY=MO;COUNT=5",
			"invitees": []map[string]any{{"email": "BOB@example.com"}},
		}, http.StatusCreated)
		id := int(ev["id"].(float64))
		path := "/api/v1/events/" + itoa(id)
		if inv := ev["invitations"].([]any); len(inv) != 1 || inv[0].(map[string]any)["email"] != "bob@example.com" {
			t.Fatalf("invitations = %v", inv)
		}
		// This and following from the third instance.
		h.mustDo("alice@example.com", "PATCH", path+"?scope=following&instance=2026-03-16T08:00:00Z",
			map[string]any{"title": "Standup v2", "version": 1}, http.StatusOK)
		// Bob answers "following" from the fourth, and no for the second.
		h.mustDo("bob@example.com", "PUT", path+"/rsvp", map[string]any{"response": "yes", "scope": "following", "instance": "2026-03-23T08:00:00Z"}, http.StatusOK)
		h.mustDo("bob@example.com", "PUT", path+"/rsvp", map[string]any{"response": "no", "scope": "instance", "instance": "2026-03-09T08:00:00Z"}, http.StatusOK)
		// Alice cancels the last instance.
		h.mustDo("alice@example.com", "DELETE", path+"?scope=instance&instance=2026-03-30T07:00:00Z", nil, http.StatusOK)
		out := h.mustDo("bob@example.com", "GET", "/api/v1/occurrences?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z", nil, http.StatusOK)
		got := occTitles(out)
		want := []string{"2026-03-02T09:00 Standup", "2026-03-09T09:00 Standup", "2026-03-16T09:00 Standup v2", "2026-03-23T09:00 Standup v2"}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("bob's March = %q, want %q", got, want)
		}
		occ := out["occurrences"].([]any)
		answers := []any{nil, "no", nil, "yes"}
		for i, o := range occ {
			if r := o.(map[string]any)["rsvp"]; r != answers[i] {
				t.Errorf("instance %d: rsvp %v, want %v", i, r, answers[i])
			}
		}
		if first := occ[0].(map[string]any); first["originalStart"] != "2026-03-02T08:00:00Z" || first["start"] != "2026-03-02T09:00:00+01:00" {
			t.Errorf("first instance times: %v / %v", first["originalStart"], first["start"])
		}
	})
}

func TestAPIConflictAnswers409WithVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newAPIHarness(t, db)
		ev := h.mustDo("alice@example.com", "POST", "/api/v1/events", map[string]any{"title": "Plan", "start": "2026-03-02T09:00:00"}, http.StatusCreated)
		path := "/api/v1/events/" + itoa(int(ev["id"].(float64)))
		h.mustDo("alice@example.com", "PATCH", path, map[string]any{"title": "A", "version": 1}, http.StatusOK)
		out := h.mustDo("alice@example.com", "PATCH", path, map[string]any{"title": "B", "version": 1}, http.StatusConflict)
		if e := out["error"].(map[string]any); e["code"] != "conflict" {
			t.Fatalf("error = %v", e)
		}
	})
}

func TestAPIRejectsBadInputWith4xx(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newAPIHarness(t, db)
		valid := `{"title":"T","start":"2026-03-02T09:00:00","timeZone":"UTC"}`
		for _, tc := range []struct {
			name, method, path, body string
			status                   int
			field                    string
		}{
			{"malformed JSON", "POST", "/api/v1/events", `{"title":`, 400, ""},
			{"unknown field", "POST", "/api/v1/events", `{"title":"T","colour":"red"}`, 400, ""},
			{"wrong type", "POST", "/api/v1/events", `{"title":5}`, 400, ""},
			{"array body", "POST", "/api/v1/events", `[1,2]`, 400, ""},
			{"trailing data", "POST", "/api/v1/events", valid + `{}`, 400, ""},
			{"empty body", "POST", "/api/v1/events", ``, 400, ""},
			{"huge body", "POST", "/api/v1/events", `{"title":"` + strings.Repeat("x", 1<<20) + `"}`, 413, ""},
			{"hourly rule", "POST", "/api/v1/events", `{"title":"T","start":"2026-03-02T09:00:00","timeZone":"UTC","rrule":"FREQ=HOURLY"}`, 422, "rrule"},
			{"end before start", "POST", "/api/v1/events", `{"title":"T","start":"2026-03-02T09:00:00","end":"2026-03-02T08:00:00","timeZone":"UTC"}`, 422, "end"},
			{"unknown zone", "POST", "/api/v1/events", `{"title":"T","start":"2026-03-02T09:00:00","timeZone":"Nowhere/Land"}`, 422, "timeZone"},
			{"unknown invitee", "POST", "/api/v1/events", `{"title":"T","start":"2026-03-02T09:00:00","timeZone":"UTC","invitees":[{"email":"zed@example.com"}]}`, 422, "invitees[0].email"},
			// Dates past the supported range (1900 to 2199): accepted before, then unreadable.
			{"year 9999 all day", "POST", "/api/v1/events", `{"title":"x","start":"9999-12-31","end":"9999-12-31","allDay":true}`, 422, "start"},
			{"until year 9999", "POST", "/api/v1/events", `{"title":"x","start":"2026-03-02","allDay":true,"rrule":"FREQ=DAILY;UNTIL=99991231"}`, 422, "rrule"},
			{"year 10000 in UTC", "POST", "/api/v1/events", `{"title":"x","start":"2199-12-31T22:00:00","timeZone":"America/Los_Angeles"}`, 422, "start"},
			{"count past 2199", "POST", "/api/v1/events", `{"title":"x","start":"2190-01-01T09:00:00","timeZone":"UTC","rrule":"FREQ=YEARLY;COUNT=20"}`, 422, "rrule"},
			{"before 1900", "POST", "/api/v1/events", `{"title":"x","start":"1899-12-31T09:00:00","timeZone":"UTC"}`, 422, "start"},
			{"bad id", "GET", "/api/v1/events/abc", ``, 400, ""},
			{"missing event", "GET", "/api/v1/events/999", ``, 404, ""},
			{"bad scope", "PATCH", "/api/v1/events/1?scope=some", `{"title":"x"}`, 422, "scope"},
			{"missing instance", "PATCH", "/api/v1/events/1?scope=instance", `{"title":"x"}`, 422, "instance"},
			{"missing window", "GET", "/api/v1/occurrences", ``, 422, "from"},
			{"window too long", "GET", "/api/v1/occurrences?from=2026-01-01&to=2028-01-01", ``, 422, "to"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code, out := h.do("alice@example.com", tc.method, tc.path, tc.body)
				if code != tc.status {
					t.Fatalf("status %d, want %d: %v", code, tc.status, out)
				}
				e, _ := out["error"].(map[string]any)
				if e == nil || e["message"] == "" {
					t.Fatalf("no error body: %v", out)
				}
				if tc.field != "" {
					if f, _ := e["fields"].(map[string]any); f == nil || f[tc.field] == nil {
						t.Fatalf("fields %v do not name %q", e["fields"], tc.field)
					}
				}
			})
		}
		// The server still serves after all that.
		h.mustDo("alice@example.com", "POST", "/api/v1/events", valid, http.StatusCreated)
	})
}

func TestAPIPrivateEventInvisibleToOthers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newAPIHarness(t, db)
		ev := h.mustDo("alice@example.com", "POST", "/api/v1/events", map[string]any{
			"title": "Secret", "start": "2026-03-03T10:00:00", "privacy": "private", "rrule": "FREQ=WEEKLY;COUNT=3",
			"invitees": []map[string]any{{"email": "carol@example.com", "instance": "2026-03-10T09:00:00Z"}},
		}, http.StatusCreated)
		path := "/api/v1/events/" + itoa(int(ev["id"].(float64)))
		h.mustDo("bob@example.com", "GET", path, nil, http.StatusNotFound)
		h.mustDo("bob@example.com", "PUT", path+"/rsvp", map[string]any{"response": "yes"}, http.StatusNotFound)
		h.mustDo("admin@example.com", "GET", path, nil, http.StatusNotFound)
		out := h.mustDo("bob@example.com", "GET", "/api/v1/occurrences?from=2026-03-01&to=2026-04-01&calendarId="+itoa(int(ev["calendarId"].(float64))), nil, http.StatusOK)
		if n := len(out["occurrences"].([]any)); n != 0 {
			t.Fatalf("bob sees %d instances of alice's private event", n)
		}
		view := h.mustDo("carol@example.com", "GET", path, nil, http.StatusOK)
		if view["instanceOnly"] != true || view["recurring"] != false || len(view["segments"].([]any)) != 1 {
			t.Fatalf("carol's view = %v", view)
		}
		h.mustDo("carol@example.com", "PUT", path+"/rsvp", map[string]any{"response": "yes", "scope": "all"}, http.StatusForbidden)
		h.mustDo("carol@example.com", "PUT", path+"/rsvp", map[string]any{"response": "yes", "scope": "instance", "instance": "2026-03-10T09:00:00Z"}, http.StatusOK)
		h.mustDo("carol@example.com", "PATCH", path, map[string]any{"title": "mine now"}, http.StatusForbidden)
	})
}

func TestAPIRequiresAuthentication(t *testing.T) {
	h := newAPIHarness(t, dbtest.SQLite(t))
	h.mustDo("", "GET", "/api/v1/occurrences?from=2026-03-01&to=2026-04-01", nil, http.StatusUnauthorized)
}

func itoa(n int) string { return strconv.Itoa(n) }

// API answers carry people's events and answers: no cache may keep them, errors included.
func TestAPIAnswersAreNotStored(t *testing.T) {
	h := newAPIHarness(t, dbtest.SQLite(t))
	_, created := h.do("alice@example.com", "POST", "/api/v1/events", `{"title":"T","start":"2026-03-02T09:00:00","timeZone":"UTC"}`)
	id := fmt.Sprint(created["id"])
	for _, c := range []struct{ as, method, path string }{
		{"alice@example.com", "GET", "/api/v1/events/" + id},
		{"alice@example.com", "GET", "/api/v1/occurrences?from=2026-03-01&to=2026-03-31"},
		{"alice@example.com", "GET", "/api/v1/me"},
		{"alice@example.com", "GET", "/api/v1/events/999"},
		{"", "GET", "/api/v1/occurrences?from=2026-03-01&to=2026-03-31"},
	} {
		req := httptest.NewRequest(c.method, c.path, nil)
		if c.as != "" {
			req.Header.Set("Authorization", "Bearer "+h.tokens[c.as])
		}
		rec := httptest.NewRecorder()
		h.app.Handler().ServeHTTP(rec, req)
		if got := rec.Header().Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s %s (%d): Cache-Control %q, want no-store", c.method, c.path, rec.Code, got)
		}
	}
}
