package app

import (
	"encoding/json"
	"intracal/app/properties"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"intracal/calendar"
	"intracal/migrations/dbtest"
)

func TestPageFormsWithoutTheCSRFTokenAreRefused(t *testing.T) {
	h, e := seriesHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")
	admin := h.as("admin@example.com")
	id := itoa64(e.ID)
	inst := "2026-03-23T08:00:00Z"
	tests := []struct {
		name string
		as   *browser
		path string
		form url.Values
	}{
		{"create", alice, "/events/new", url.Values{"title": {"x"}, "startDate": {"2026-03-05"}, "startTime": {"10:00"}, "timeZone": {"UTC"}}},
		{"edit", alice, "/events/" + id + "/edit", url.Values{"instance": {inst}, "scope": {"all"}, "version": {"2"}, "title": {"Hijacked"}}},
		{"rsvp", alice, "/events/" + id + "/rsvp", url.Values{"instance": {inst}, "scope": {"all"}, "response": {"no"}}},
		{"delete", alice, "/events/" + id + "/delete", url.Values{"instance": {inst}, "scope": {"all"}}},
		{"invite", alice, "/events/" + id + "/invite", url.Values{"instance": {inst}, "scope": {"all"}, "user": {itoa64(h.users["carol@example.com"].ID)}}},
		{"settings", alice, "/settings", url.Values{"timeZone": {"Asia/Tokyo"}}},
		{"general settings", admin, "/cp/general", url.Values{"enableThirdPartySync": {"yes"}}},
		{"system property", admin, "/cp/properties/SAMLTenantID", url.Values{"value": {"11111111-2222-3333-4444-555555555555"}}},
		{"password", alice, "/settings/password", url.Values{"current": {testPassword}, "password": {"hijacked pw"}, "confirm": {"hijacked pw"}}},
		{"new token", alice, "/settings/tokens", url.Values{"name": {"planted"}}},
		{"feed on", alice, "/settings/feed", nil},
		{"feed off", alice, "/settings/feed/off", nil},
		{"feed private", alice, "/settings/feed/private", url.Values{"private": {"hidden"}}},
		{"import", alice, "/import", url.Values{"calendarId": {"0"}}},
		{"disable", admin, "/cp/people/" + itoa64(h.users["bob@example.com"].ID) + "/disable", nil},
		{"reset password", admin, "/cp/people/" + itoa64(h.users["bob@example.com"].ID) + "/password", nil},
		{"delete account", admin, "/cp/people/" + itoa64(h.users["bob@example.com"].ID) + "/delete", url.Values{"confirm": {"bob@example.com"}}},
	}
	for _, tt := range tests {
		for _, token := range []string{"", "forged-token"} {
			t.Run(tt.name+" token="+token, func(t *testing.T) {
				f := url.Values{}
				for k, v := range tt.form {
					f[k] = v
				}
				if token != "" {
					f.Set("csrf_token", token)
				}
				res := tt.as.postForm(tt.path, f)
				if res.StatusCode != http.StatusForbidden {
					t.Fatalf("status %d, want 403", res.StatusCode)
				}
			})
		}
	}
	got := h.reload(e.ID)
	if got.Version != e.Version || got.DeletedAt != nil || len(got.Invitations) != len(e.Invitations) || len(got.RSVPs) != 0 {
		t.Error("a refused form changed the event")
	}
	if n := countRows(t, h.app.db, "account_audit", "1 = 1"); n != 0 {
		t.Errorf("refused forms changed %d accounts or tokens", n)
	}
	if u, _ := h.app.users.ByID(t.Context(), h.users["alice@example.com"].ID); u.TimeZone != "Europe/Berlin" {
		t.Error("a refused form changed the time zone")
	}
	if p, _ := h.app.props.Get(t.Context(), properties.PropEnableSync); p.Set {
		t.Error("a refused form changed a system property")
	}
}

// The CSRF token counts only in the X-CSRF-Token header or the form body, never in the URL,
// where it would land in logs, browser history and Referer headers.
func TestTheCSRFTokenInTheURLQueryIsRefused(t *testing.T) {
	h, _ := seriesHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")
	token := csrfFrom(t, alice)
	res := alice.postForm("/settings?csrf_token="+url.QueryEscape(token), url.Values{"timeZone": {"Asia/Tokyo"}})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("status %d, want 403", res.StatusCode)
	}
	if n := countRows(t, h.app.db, "account_audit", "1 = 1"); n != 0 {
		t.Errorf("refused forms changed %d accounts or tokens", n)
	}
	if u, _ := h.app.users.ByID(t.Context(), h.users["alice@example.com"].ID); u.TimeZone != "Europe/Berlin" {
		t.Error("a form with its token in the URL changed the time zone")
	}
	// In the body it works.
	if res := alice.postForm("/settings", url.Values{"timeZone": {"Asia/Tokyo"}, "csrf_token": {token}}); res.StatusCode >= 400 {
		t.Fatalf("status %d with the token in the body", res.StatusCode)
	}
}

func TestMembersCannotOpenOrPostToTheControlPanel(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	alice := h.as("alice@example.com")
	for _, path := range []string{"/cp", "/cp/general", "/cp/properties", "/cp/properties?q=outlook"} {
		if status, body := alice.page(path); status != http.StatusForbidden || !strings.Contains(body, "Only site administrators") {
			t.Errorf("GET %s as a member: status %d, want 403", path, status)
		}
	}
	for path, form := range map[string]url.Values{
		"/cp/general":                           {"enableThirdPartySync": {"yes"}},
		"/cp/properties/OutlookApiClientID":     {"value": {"11111111-2222-3333-4444-555555555555"}},
		"/cp/properties/OutlookApiClientSecret": {"value": {"member-secret"}},
	} {
		if res, _ := alice.submit(path, form); res.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s as a member: status %d, want 403", path, res.StatusCode)
		}
	}
	list, err := h.app.props.List(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.Set {
			t.Errorf("a member's post set %s", p.Name)
		}
	}
	if _, body := alice.page("/calendar"); strings.Contains(body, `href="/cp"`) {
		t.Error("members are shown the Control Panel link")
	}
	if _, body := h.as("admin@example.com").page("/calendar"); !strings.Contains(body, `href="/cp"`) {
		t.Error("administrators are not shown the Control Panel link")
	}
}

func TestAnotherPersonsPrivateEventAppearsNowhere(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newPageHarness(t, db)
		secret := "Salary talk with Bob"
		e := h.event("bob@example.com", calendar.EventInput{Title: secret, Location: "Bob's office", Start: "2026-03-03T10:00", End: "2026-03-03T11:00",
			TimeZone: "Europe/Berlin", RRule: "FREQ=WEEKLY;COUNT=4", Privacy: calendar.Private}, "carol@example.com")
		// Alice and the administrator are not invited: no page, form or API answer may show it.
		id := itoa64(e.ID)
		inst := "2026-03-03T09:00:00Z"
		for _, who := range []string{"alice@example.com", "admin@example.com"} {
			b := h.as(who)
			for _, path := range []string{"/", "/calendar?date=2026-03-03", "/calendar?view=week&date=2026-03-03", "/calendar?view=agenda&date=2026-03-01",
				"/events/" + id, "/events/" + id + "?instance=" + url.QueryEscape(inst), "/events/" + id + "/edit?instance=" + url.QueryEscape(inst)} {
				status, body := b.page(path)
				if strings.Contains(body, secret) || strings.Contains(body, "Bob&#39;s office") {
					t.Errorf("%s sees the private event on %s", who, path)
				}
				if strings.HasPrefix(path, "/events/") && status != http.StatusNotFound {
					t.Errorf("%s opens %s: status %d, want 404 (never 403, which would tell it exists)", who, path, status)
				}
			}
			for _, act := range []struct {
				path string
				form url.Values
			}{
				{"/events/" + id + "/rsvp", url.Values{"instance": {inst}, "scope": {"all"}, "response": {"yes"}}},
				{"/events/" + id + "/delete", url.Values{"instance": {inst}, "scope": {"all"}}},
				{"/events/" + id + "/invite", url.Values{"instance": {inst}, "scope": {"all"}, "user": {itoa64(h.users[who].ID)}}},
				{"/events/" + id + "/edit", url.Values{"instance": {inst}, "scope": {"all"}, "version": {"1"}, "title": {"x"}}},
			} {
				if res, _ := b.submit(act.path, act.form); res.StatusCode != http.StatusNotFound {
					t.Errorf("%s posts to %s: status %d, want 404", who, act.path, res.StatusCode)
				}
			}
			// The JSON API, with the same session.
			for _, path := range []string{"/api/v1/events/" + id, "/api/v1/occurrences?from=2026-03-01&to=2026-04-01"} {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				for _, c := range b.Cookies {
					req.AddCookie(c)
				}
				rec := httptest.NewRecorder()
				h.app.Handler().ServeHTTP(rec, req)
				if strings.Contains(rec.Body.String(), secret) {
					t.Errorf("%s sees the private event in %s", who, path)
				}
				if strings.HasPrefix(path, "/api/v1/events/") && rec.Code != http.StatusNotFound {
					t.Errorf("%s GET %s: status %d, want 404", who, path, rec.Code)
				}
				if strings.HasPrefix(path, "/api/v1/occurrences") {
					var out struct{ Occurrences []json.RawMessage }
					if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || len(out.Occurrences) != 0 {
						t.Errorf("%s lists %d occurrences (%v), want none", who, len(out.Occurrences), err)
					}
				}
			}
		}
		// The organizer and the invitee do see it.
		for _, who := range []string{"bob@example.com", "carol@example.com"} {
			if _, body := h.as(who).page("/calendar?date=2026-03-03"); !strings.Contains(body, secret) {
				t.Errorf("%s does not see the private event they belong to", who)
			}
		}
	})
}

func TestMarkupInEventTextIsShownAsText(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	title := `<script>alert("title")</script>`
	desc := `<img src=x onerror=alert(1)><b>bold</b>`
	loc := `"><script>alert('where')</script>`
	e := h.event("alice@example.com", calendar.EventInput{Title: title, Description: desc, Location: loc, Start: "2026-03-03T10:00",
		End: "2026-03-03T11:00", TimeZone: "Europe/Berlin", RRule: "FREQ=DAILY;COUNT=3"}, "bob@example.com")
	alice := h.as("alice@example.com")
	inst := url.QueryEscape("2026-03-03T09:00:00Z")
	for _, path := range []string{"/calendar?date=2026-03-03", "/calendar?view=week&date=2026-03-03", "/calendar?view=agenda&date=2026-03-02",
		"/events/" + itoa64(e.ID) + "?instance=" + inst, "/events/" + itoa64(e.ID) + "/edit?instance=" + inst + "&scope=all",
		"/events/" + itoa64(e.ID) + "/edit?instance=" + inst + "&scope=instance"} {
		status, body := alice.page(path)
		if status != http.StatusOK {
			t.Fatalf("%s: status %d", path, status)
		}
		for _, raw := range []string{"<script>alert", "<img src=x", "<b>bold</b>", `"><script>`} {
			if strings.Contains(body, raw) {
				t.Errorf("%s has %q as markup", path, raw)
			}
		}
		if !strings.Contains(body, "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;") {
			t.Errorf("%s does not show the title as text", path)
		}
	}
}
