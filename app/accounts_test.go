package app

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/calendar"
	"intracal/migrations/dbtest"
	"intracal/outlooksync"
)

// bearer sends a request with a personal API token through the app's router.
func bearer(t *testing.T, a *App, token, method, path, body string) *http.Response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	a.Handler().ServeHTTP(rec, req)
	return rec.Result()
}

func countRows(t *testing.T, db *gorm.DB, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.Table(table).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// auditActions lists the account audit's actions about a user, oldest first.
func auditActions(t *testing.T, a *App, userID int64) []string {
	t.Helper()
	list, err := a.audit.List(t.Context(), userID, 100)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(list))
	for i, ch := range list {
		out[len(list)-1-i] = ch.Action + " by " + ch.Actor
	}
	return out
}

func TestOwnerListsCreatesAndRevokesTokensThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newPageHarness(t, db)
		a, alice := h.app, h.users["alice@example.com"]
		first, err := a.tokens.Create(t.Context(), alice.ID, "first")
		if err != nil {
			t.Fatal(err)
		}

		// Bad input: a clear 4xx naming the problem, and no token stored.
		for _, tt := range []struct{ body, field string }{
			{`{"name": ""}`, "name"},
			{`{"name": "` + strings.Repeat("x", 101) + `"}`, "name"},
			{`{"name": "x", "expiresInDays": 0}`, "expiresInDays"},
			{`{"name": "x", "expiresInDays": -3}`, "expiresInDays"},
			{`{"name": "x", "expiresInDays": 4000}`, "expiresInDays"},
		} {
			res := bearer(t, a, first, http.MethodPost, "/api/v1/tokens", tt.body)
			if e := apiErr(t, res); res.StatusCode != http.StatusUnprocessableEntity || e.Fields[tt.field] == "" {
				t.Errorf("%s: %d %+v, want 422 naming %s", tt.body, res.StatusCode, e, tt.field)
			}
		}
		for _, body := range []string{`{"name": "x", "expiresInDays": "soon"}`, `{"name": "x", "secret": "cal_mine"}`, `not json`} {
			if res := bearer(t, a, first, http.MethodPost, "/api/v1/tokens", body); res.StatusCode != http.StatusBadRequest {
				t.Errorf("%s: %d, want 400", body, res.StatusCode)
			}
		}
		if n := countRows(t, db, "api_tokens", "user_id = ?", alice.ID); n != 1 {
			t.Fatalf("refused requests stored tokens: %d, want 1", n)
		}

		res := bearer(t, a, first, http.MethodPost, "/api/v1/tokens", `{"name": "nightly export", "expiresInDays": 30}`)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("create: %d %s", res.StatusCode, readBody(res))
		}
		var created struct { // the answer's fields this test reads (docs/api.md)
			ID        int64      `json:"id"`
			Token     string     `json:"token"`
			Prefix    string     `json:"prefix"`
			ExpiresAt *time.Time `json:"expiresAt"`
		}
		if err := json.NewDecoder(res.Body).Decode(&created); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(created.Token, accounts.APITokenPrefix) || created.ExpiresAt == nil ||
			!created.ExpiresAt.Equal(h.clock.Now().AddDate(0, 0, 30)) || !strings.HasPrefix(created.Token, strings.TrimSuffix(created.Prefix, "…")) {
			t.Fatalf("created %+v", created)
		}
		if res := bearer(t, a, created.Token, http.MethodGet, "/api/v1/me", ""); res.StatusCode != http.StatusOK {
			t.Fatalf("the new token does not authenticate: %d", res.StatusCode)
		}

		res = bearer(t, a, first, http.MethodGet, "/api/v1/tokens", "")
		body := readBody(res)
		if res.StatusCode != http.StatusOK || strings.Contains(body, created.Token) || strings.Contains(body, first) ||
			!strings.Contains(body, `"name":"nightly export"`) || !strings.Contains(body, `"lastUsedAt":"2026-03-02T09:00:00Z"`) {
			t.Fatalf("list: %d %s", res.StatusCode, body)
		}

		// Expired: refused with 401, the other token still works.
		h.clock.Advance(30 * 24 * time.Hour)
		res = bearer(t, a, created.Token, http.MethodGet, "/api/v1/me", "")
		if e := apiErr(t, res); res.StatusCode != http.StatusUnauthorized || e.Code != "token_expired" {
			t.Fatalf("expired token: %d %+v, want 401 token_expired", res.StatusCode, e)
		}
		if res := bearer(t, a, first, http.MethodGet, "/api/v1/tokens", ""); !strings.Contains(readBody(res), `"expired":true`) {
			t.Error("the list does not say the token expired")
		}

		// Someone else's token is not found, and stays.
		bob, err := a.tokens.Create(t.Context(), h.users["bob@example.com"].ID, "bob")
		if err != nil {
			t.Fatal(err)
		}
		firstID := created.ID - 1
		if res := bearer(t, a, bob, http.MethodDelete, "/api/v1/tokens/"+itoa64(firstID), ""); res.StatusCode != http.StatusNotFound {
			t.Fatalf("bob revoking alice's token: %d, want 404", res.StatusCode)
		}
		if res := bearer(t, a, first, http.MethodGet, "/api/v1/me", ""); res.StatusCode != http.StatusOK {
			t.Fatal("bob's refused revocation revoked alice's token")
		}
		for _, id := range []string{"x", "0", "-1"} {
			if res := bearer(t, a, first, http.MethodDelete, "/api/v1/tokens/"+id, ""); res.StatusCode != http.StatusNotFound {
				t.Errorf("revoke %q: %d, want 404", id, res.StatusCode)
			}
		}

		if res := bearer(t, a, first, http.MethodDelete, "/api/v1/tokens/"+itoa64(created.ID), ""); res.StatusCode != http.StatusNoContent {
			t.Fatalf("revoke: %d", res.StatusCode)
		}
		if res := bearer(t, a, first, http.MethodDelete, "/api/v1/tokens/"+itoa64(firstID), ""); res.StatusCode != http.StatusNoContent {
			t.Fatalf("revoke the token in use: %d", res.StatusCode)
		}
		if res := bearer(t, a, first, http.MethodGet, "/api/v1/me", ""); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("revoked token: %d, want 401", res.StatusCode)
		}
		want := []string{"token_created by Alice Andersen <alice@example.com>", "token_revoked by Alice Andersen <alice@example.com>",
			"token_revoked by Alice Andersen <alice@example.com>"}
		if got := auditActions(t, a, alice.ID); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("audit %q, want %q", got, want)
		}
	})
}

var newTokenField = regexp.MustCompile(`id="new-token" type="text" class="mono" readonly value="([^"]+)"`)

func TestSettingsPageCreatesShowsOnceAndRevokesTokens(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	a := h.app
	alice, bob := h.as("alice@example.com"), h.as("bob@example.com")

	res, body := alice.submit("/settings/tokens", url.Values{"name": {""}, "expiresInDays": {"30"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="tok-name-err"`) {
		t.Fatalf("empty name: %d", res.StatusCode)
	}
	res, _ = alice.submit("/settings/tokens", url.Values{"name": {"x"}, "expiresInDays": {"soon"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad expiry: %d", res.StatusCode)
	}
	if n := countRows(t, a.db, "api_tokens", "1 = 1"); n != 0 {
		t.Fatalf("refused forms stored %d tokens", n)
	}

	res, body = alice.submit("/settings/tokens", url.Values{"name": {"laptop <script>"}, "expiresInDays": {"90"}})
	m := newTokenField.FindStringSubmatch(body)
	if res.StatusCode != http.StatusCreated || m == nil {
		t.Fatalf("create: %d, token shown: %v", res.StatusCode, m != nil)
	}
	token := m[1]
	if strings.Contains(body, "laptop <script>") {
		t.Error("the token's name is not escaped")
	}
	if res := bearer(t, a, token, http.MethodGet, "/api/v1/me", ""); res.StatusCode != http.StatusOK {
		t.Fatalf("the token from the page does not authenticate: %d", res.StatusCode)
	}
	_, page := alice.page("/settings")
	if strings.Contains(page, token) || !strings.Contains(page, token[:accounts.TokenShownPrefix]+"…") || !strings.Contains(page, "31 May 2026 11:00") {
		t.Fatal("the settings page shows the secret again, or not the prefix and expiry")
	}
	rows, _ := a.tokens.List(t.Context(), h.users["alice@example.com"].ID)
	revoke := "/settings/tokens/" + itoa64(rows[0].ID) + "/revoke"
	if !strings.Contains(page, `action="`+revoke+`"`) {
		t.Errorf("the settings page has no form revoking the token at %s", revoke)
	}

	if res, _ := bob.submit(revoke, nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("bob revoking alice's token: %d, want 404", res.StatusCode)
	}
	if res := alice.postForm(revoke, url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("revoke without the CSRF token: %d, want 403", res.StatusCode)
	}
	if res := bearer(t, a, token, http.MethodGet, "/api/v1/me", ""); res.StatusCode != http.StatusOK {
		t.Fatal("a refused revocation revoked the token")
	}
	if res, _ := alice.submit(revoke, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	if res := bearer(t, a, token, http.MethodGet, "/api/v1/me", ""); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d, want 401", res.StatusCode)
	}
}

func TestOwnerChangesPasswordAndOtherSessionsEnd(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newPageHarness(t, db)
		a := h.app
		here := h.as("alice@example.com")
		elsewhere := newBrowser(t, a)
		elsewhere.IP = "198.51.100.7"
		elsewhere.login("alice@example.com", testPassword)
		token, err := a.tokens.Create(t.Context(), h.users["alice@example.com"].ID, "script")
		if err != nil {
			t.Fatal(err)
		}

		for _, tt := range []struct {
			name  string
			form  url.Values
			field string
		}{
			{"wrong current", url.Values{"current": {"not it at all"}, "password": {"new secret 1"}, "confirm": {"new secret 1"}}, "pw-current-err"},
			{"no current", url.Values{"password": {"new secret 1"}, "confirm": {"new secret 1"}}, "pw-current-err"},
			{"too short", url.Values{"current": {testPassword}, "password": {"short"}, "confirm": {"short"}}, "pw-new-err"},
			{"too long", url.Values{"current": {testPassword}, "password": {strings.Repeat("x", 73)}, "confirm": {strings.Repeat("x", 73)}}, "pw-new-err"},
			{"confirm differs", url.Values{"current": {testPassword}, "password": {"new secret 1"}, "confirm": {"new secret 2"}}, "pw-confirm-err"},
		} {
			res, body := here.submit("/settings/password", tt.form)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="`+tt.field+`"`) {
				t.Errorf("%s: %d, want 422 with #%s", tt.name, res.StatusCode, tt.field)
			}
		}
		if code, _ := elsewhere.page("/settings"); code != http.StatusOK {
			t.Fatal("a refused change ended the other session")
		}

		res, _ := here.submit("/settings/password", url.Values{"current": {testPassword}, "password": {"new secret 1"}, "confirm": {"new secret 1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("change: %d", res.StatusCode)
		}
		if code, _ := here.page("/settings"); code != http.StatusOK {
			t.Error("the session that changed the password was ended")
		}
		if res := elsewhere.get("/settings"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("the other session survived the change: %d", res.StatusCode)
		}
		if res := bearer(t, a, token, http.MethodGet, "/api/v1/me", ""); res.StatusCode != http.StatusOK {
			t.Error("changing the password revoked the API token")
		}
		fresh := newBrowser(t, a)
		if res := fresh.postForm("/login", url.Values{"email": {"alice@example.com"}, "password": {testPassword}}); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("the old password still signs in: %d", res.StatusCode)
		}
		fresh.login("alice@example.com", "new secret 1")
		if got := auditActions(t, a, h.users["alice@example.com"].ID); len(got) != 1 || got[0] != "password_changed by Alice Andersen <alice@example.com>" {
			t.Errorf("audit %q", got)
		}
	})
}

func TestPeoplePageRevokesAPersonsTokens(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	admin, bob := h.as("admin@example.com"), h.users["bob@example.com"]
	if _, err := h.app.tokens.Create(t.Context(), bob.ID, "bob's laptop"); err != nil {
		t.Fatal(err)
	}
	rows, _ := h.app.tokens.List(t.Context(), bob.ID)
	revoke := "/cp/people/" + itoa64(bob.ID) + "/tokens/" + itoa64(rows[0].ID) + "/revoke"
	if _, page := admin.page("/cp/people/" + itoa64(bob.ID)); !strings.Contains(page, `action="`+revoke+`"`) {
		t.Fatalf("the person's page has no form revoking the token at %s", revoke)
	}
	admin.submit(revoke, nil)
	if rows, _ := h.app.tokens.List(t.Context(), bob.ID); len(rows) != 0 {
		t.Errorf("the token is still there after its Revoke form was sent")
	}
}

func TestPeoplePageIsForAdministratorsOnly(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	alice, bob := h.as("alice@example.com"), h.users["bob@example.com"]
	token, _ := h.app.tokens.Create(t.Context(), bob.ID, "bob")
	rows, _ := h.app.tokens.List(t.Context(), bob.ID)
	p := "/cp/people/" + itoa64(bob.ID)
	if code, _ := alice.page("/cp/people"); code != http.StatusForbidden {
		t.Errorf("member opens People: %d", code)
	}
	if code, _ := alice.page(p); code != http.StatusForbidden {
		t.Errorf("member opens a person: %d", code)
	}
	for _, path := range []string{p + "/disable", p + "/password", p + "/delete", p + "/tokens/" + itoa64(rows[0].ID) + "/revoke"} {
		if res, _ := alice.submit(path, url.Values{"confirm": {bob.Email}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("member posts %s: %d, want 403", path, res.StatusCode)
		}
	}
	if res := bearer(t, h.app, token, http.MethodGet, "/api/v1/me", ""); res.StatusCode != http.StatusOK {
		t.Error("a member's refused post changed bob's account")
	}
	if n := countRows(t, h.app.db, "account_audit", "1 = 1"); n != 0 {
		t.Errorf("refused posts were audited: %d", n)
	}
}

func TestAdministratorDisablesAndEnablesAnAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newPageHarness(t, db)
		a := h.app
		admin, bob := h.as("admin@example.com"), h.users["bob@example.com"]
		bobTab := h.as("bob@example.com")
		token, _ := a.tokens.Create(t.Context(), bob.ID, "bob")
		p := "/cp/people/" + itoa64(bob.ID)

		code, list := admin.page("/cp/people")
		if code != http.StatusOK || !strings.Contains(list, `href="`+p+`"`) || !strings.Contains(list, "bob@example.com") {
			t.Fatalf("People page: %d", code)
		}
		if res, _ := admin.submit(p+"/disable", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("disable: %d", res.StatusCode)
		}
		if res := bobTab.get("/calendar"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("the disabled account's session goes on: %d", res.StatusCode)
		}
		if res := bearer(t, a, token, http.MethodGet, "/api/v1/me", ""); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("the disabled account's token works: %d", res.StatusCode)
		}
		again := newBrowser(t, a)
		res := again.postForm("/login", url.Values{"email": {bob.Email}, "password": {testPassword}})
		if body := readBody(res); res.StatusCode != http.StatusForbidden || !strings.Contains(body, "disabled") {
			t.Errorf("sign-in of a disabled account: %d", res.StatusCode)
		}
		if _, _, err := a.accounts.CreateToken(t.Context(), accounts.Viewer{}, mustUser(t, a, bob.ID), "x", 0); err == nil {
			t.Error("a disabled account got a token")
		}
		_, page := admin.page(p)
		if !strings.Contains(page, "Disabled") || !strings.Contains(page, "Enable account") {
			t.Error("the person's page does not show the account disabled")
		}
		// Searching colleagues to invite leaves them out.
		if us, _ := a.users.Search(t.Context(), "bob", 10); len(us) != 0 {
			t.Errorf("search finds the disabled account: %v", us)
		}

		if res, _ := admin.submit(p+"/enable", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("enable: %d", res.StatusCode)
		}
		again.login(bob.Email, testPassword)
		if res := bearer(t, a, token, http.MethodGet, "/api/v1/me", ""); res.StatusCode != http.StatusUnauthorized {
			t.Error("enabling brought the revoked token back")
		}
		// An administrator cannot lock themselves out here.
		self := "/cp/people/" + itoa64(h.users["admin@example.com"].ID)
		for _, path := range []string{self + "/disable", self + "/delete", self + "/password"} {
			if res, _ := admin.submit(path, url.Values{"confirm": {"admin@example.com"}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s on oneself: %d, want 403", path, res.StatusCode)
			}
		}
		want := []string{"user_disabled by Ada Admin <admin@example.com>", "user_enabled by Ada Admin <admin@example.com>"}
		if got := auditActions(t, a, bob.ID); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("audit %q, want %q", got, want)
		}
	})
}

func mustUser(t *testing.T, a *App, id int64) accounts.User {
	t.Helper()
	u, err := a.users.ByID(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

var generatedField = regexp.MustCompile(`id="generated-password" type="text" class="mono" readonly value="([^"]+)"`)

func TestAdministratorResetsAPassword(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	a := h.app
	admin, carol := h.as("admin@example.com"), h.users["carol@example.com"]
	carolTab := h.as("carol@example.com")
	p := "/cp/people/" + itoa64(carol.ID) + "/password"

	for _, form := range []url.Values{{"password": {"short"}, "confirm": {"short"}}, {"password": {"long enough 1"}, "confirm": {"long enough 2"}}} {
		if res, _ := admin.submit(p, form); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d, want 422", form, res.StatusCode)
		}
	}
	if code, _ := carolTab.page("/calendar"); code != http.StatusOK {
		t.Fatal("a refused reset ended carol's session")
	}

	res, body := admin.submit(p, url.Values{"password": {""}, "confirm": {""}})
	m := generatedField.FindStringSubmatch(body)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("reset: %d, password shown: %v", res.StatusCode, m != nil)
	}
	if res := carolTab.get("/calendar"); res.StatusCode != http.StatusSeeOther {
		t.Error("carol's session survived the reset")
	}
	if code, _ := admin.page("/cp/people"); code != http.StatusOK {
		t.Error("the reset ended the administrator's own session")
	}
	fresh := newBrowser(t, a)
	if res := fresh.postForm("/login", url.Values{"email": {carol.Email}, "password": {testPassword}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the old password still signs in: %d", res.StatusCode)
	}
	fresh.login(carol.Email, m[1])

	if res, _ := admin.submit(p, url.Values{"password": {"chosen by admin"}, "confirm": {"chosen by admin"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset to a typed password: %d", res.StatusCode)
	}
	newBrowser(t, a).login(carol.Email, "chosen by admin")
	list, _ := a.audit.List(t.Context(), carol.ID, 10)
	if len(list) != 2 || list[0].Action != accounts.AuditPasswordReset || strings.Contains(list[1].Detail, m[1]) {
		t.Errorf("audit %+v", list)
	}
}

func TestDeletingAnAccountRemovesItsEventsInvitationsAndOutlook(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newPageHarness(t, db)
		a := h.app
		ctx := t.Context()
		alice := h.users["alice@example.com"]
		admin, aliceTab, bobTab := h.as("admin@example.com"), h.as("alice@example.com"), h.as("bob@example.com")
		token, _ := a.tokens.Create(ctx, alice.ID, "alice")

		own := h.event("alice@example.com", calendar.EventInput{Title: "Alice's review", Start: "2026-03-04T10:00:00", End: "2026-03-04T11:00:00",
			TimeZone: "Europe/Berlin"}, "bob@example.com")
		theirs := h.event("bob@example.com", calendar.EventInput{Title: "Bob's standup", Start: "2026-03-05T09:00:00", End: "2026-03-05T09:15:00",
			TimeZone: "Europe/Berlin", RRule: "FREQ=DAILY;COUNT=5"}, "alice@example.com", "carol@example.com")
		if _, err := a.store.SetRSVP(ctx, calendar.Viewer{UserID: alice.ID}, theirs.ID, calendar.ScopeAll, time.Time{}, calendar.Yes); err != nil {
			t.Fatal(err)
		}
		before := h.reload(theirs.ID)
		if err := a.OutlookConnections().Connect(ctx, alice.ID, outlooksync.Account{ID: "entra-alice", Mail: alice.Email}, "tenant",
			&oauth2.Token{AccessToken: "at", RefreshToken: "rt", Expiry: h.clock.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := outlooksync.NewStore(db).SaveLink(ctx, alice.ID, outlooksync.Link{EventID: own.ID, SegmentUID: own.Segments[0].UID, RemoteID: "AAMk-alice"}); err != nil {
			t.Fatal(err)
		}
		p := "/cp/people/" + itoa64(alice.ID)

		// A wrong confirmation deletes nothing.
		for _, confirm := range []string{"", "bob@example.com"} {
			if res, _ := admin.submit(p+"/delete", url.Values{"confirm": {confirm}}); res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("confirm %q: %d, want 422", confirm, res.StatusCode)
			}
		}
		if code, _ := aliceTab.page("/calendar"); code != http.StatusOK || h.reload(own.ID).DeletedAt != nil {
			t.Fatal("a refused deletion changed something")
		}

		if res, _ := admin.submit(p+"/delete", url.Values{"confirm": {"Alice@Example.com"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: %d", res.StatusCode)
		}
		if res := aliceTab.get("/calendar"); res.StatusCode != http.StatusSeeOther {
			t.Error("the deleted account's session goes on")
		}
		if res := bearer(t, a, token, http.MethodGet, "/api/v1/me", ""); res.StatusCode != http.StatusUnauthorized {
			t.Error("the deleted account's token works")
		}
		if res := newBrowser(t, a).postForm("/login", url.Values{"email": {alice.Email}, "password": {testPassword}}); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("the deleted account signs in: %d", res.StatusCode)
		}

		// Her event left bob's calendar; bob's event lost her invitation and answer, and its
		// version moved on so the listing cache and the sync see it.
		if got := h.reload(own.ID); got.DeletedAt == nil {
			t.Error("the event she organized was not deleted")
		}
		if code, _ := bobTab.page("/events/" + itoa64(own.ID)); code != http.StatusNotFound {
			t.Errorf("bob opens her deleted event: %d", code)
		}
		code, cal := bobTab.page("/calendar?view=agenda&date=2026-03-02")
		if code != http.StatusOK || strings.Contains(cal, "Alice&#39;s review") || !strings.Contains(cal, "Bob&#39;s standup") {
			t.Errorf("bob's calendar: %d, her event listed or his missing", code)
		}
		after := h.reload(theirs.ID)
		if after.Version <= before.Version || len(after.Invitations) != 1 || after.Invitations[0].UserID != h.users["carol@example.com"].ID || len(after.RSVPs) != 0 {
			t.Errorf("bob's event after the deletion: version %d (was %d), invitations %+v, answers %+v", after.Version, before.Version, after.Invitations, after.RSVPs)
		}
		if code, page := bobTab.page("/events/" + itoa64(theirs.ID) + "?instance=2026-03-05T08:00:00Z"); code != http.StatusOK || strings.Contains(page, "Alice Andersen") {
			t.Errorf("bob's event page: %d, still names her", code)
		}

		// The Outlook connection, its tokens and the sync's state went.
		if _, err := a.OutlookConnections().Get(ctx, alice.ID); !errors.Is(err, outlooksync.ErrNotConnected) {
			t.Errorf("her Outlook connection: %v", err)
		}
		for _, table := range []string{"sync_links", "api_tokens", "sessions", "outlook_connections"} {
			if n := countRows(t, db, table, "user_id = ?", alice.ID); n != 0 {
				t.Errorf("%d rows of %s left", n, table)
			}
		}

		// The tombstone keeps her name for the audit; the address is free again.
		if code, _ := admin.page(p); code != http.StatusNotFound {
			t.Errorf("her page after deletion: %d", code)
		}
		if _, list := admin.page("/cp/people"); strings.Contains(list, `href="`+p+`"`) {
			t.Error("People still lists her")
		}
		if _, err := a.users.Create(ctx, accounts.NewUser{Email: alice.Email, Name: "Alice Again", Password: testPassword}); err != nil {
			t.Errorf("the address cannot be given to a new account: %v", err)
		}
		got := auditActions(t, a, alice.ID)
		if len(got) != 1 || got[0] != "user_deleted by Ada Admin <admin@example.com>" {
			t.Errorf("audit %q", got)
		}
		if res, _ := admin.submit(p+"/delete", url.Values{"confirm": {alice.Email}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("deleting again: %d, want 404", res.StatusCode)
		}

		// The admin API reads the same audit; members get 403.
		adminToken, _ := a.tokens.Create(ctx, h.users["admin@example.com"].ID, "admin")
		res := bearer(t, a, adminToken, http.MethodGet, "/api/v1/admin/audit/accounts?userId="+itoa64(alice.ID), "")
		body := readBody(res)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `"action":"user_deleted"`) || !strings.Contains(body, `"subject":"Alice Andersen \u003calice@example.com\u003e"`) ||
			!strings.Contains(body, "1 event(s) deleted, 1 invitation(s) and 1 answer(s) removed, 1 session(s) ended, 1 API token(s) revoked") {
			t.Errorf("audit API: %d %s", res.StatusCode, body)
		}
		if res := bearer(t, a, adminToken, http.MethodGet, "/api/v1/admin/audit/accounts?userId=x", ""); res.StatusCode != http.StatusBadRequest {
			t.Errorf("audit API with a bad userId: %d", res.StatusCode)
		}
		bobToken, _ := a.tokens.Create(ctx, h.users["bob@example.com"].ID, "bob")
		if res := bearer(t, a, bobToken, http.MethodGet, "/api/v1/admin/audit/accounts", ""); res.StatusCode != http.StatusForbidden {
			t.Errorf("member reads the account audit: %d", res.StatusCode)
		}
	})
}

func TestOutlookSyncSkipsDisabledAccounts(t *testing.T) {
	e := newOutlookEnv(t)
	a := e.a
	ctx := t.Context()
	var ids []int64
	for _, m := range []string{"anna@example.com", "ben@example.com"} {
		u := addUser(t, a, m, m, testPassword, false)
		if err := a.OutlookConnections().Connect(ctx, u.ID, outlooksync.Account{ID: "id-" + m, Mail: m}, "tenant",
			&oauth2.Token{AccessToken: "at", RefreshToken: "rt", Expiry: e.clock.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	if _, err := a.accounts.Disable(ctx, accounts.ViewerOf(e.admin), ids[1]); err != nil {
		t.Fatal(err)
	}
	got, err := a.OutlookTargets().Connected(ctx)
	if err != nil || len(got) != 1 || got[0] != ids[0] {
		t.Fatalf("sync targets %v, %v; want only %d", got, err, ids[0])
	}
	if _, err := a.OutlookConnections().Get(ctx, ids[1]); err != nil {
		t.Errorf("disabling removed the connection: %v", err)
	}
	if _, err := a.accounts.Enable(ctx, accounts.ViewerOf(e.admin), ids[1]); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.OutlookTargets().Connected(ctx); len(got) != 2 {
		t.Errorf("after enabling, sync targets %v", got)
	}
}
