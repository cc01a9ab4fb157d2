package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"intracal/migrations/dbtest"
	"intracal/outlooksync"
)

func TestSyncStatusShowsHistoryAndMetricsServe(t *testing.T) {
	h := newAPIHarness(t, dbtest.SQLite(t))
	ctx := context.Background()
	alice, err := h.app.users.ByEmail(ctx, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.app.syncStore.AddHistory(ctx, alice.ID, []outlooksync.HistoryEntry{{EventID: 3, Direction: "conflict",
		Summary: "Changed on both sides: Outlook's title taken (the later change)", Detail: "My Calendar had: <b>Old</b>"}}); err != nil {
		t.Fatal(err)
	}
	out := h.mustDo("alice@example.com", "GET", "/api/v1/outlook/sync", nil, http.StatusOK)
	hist := out["history"].([]any)
	if len(hist) != 1 || hist[0].(map[string]any)["detail"] != "My Calendar had: <b>Old</b>" {
		t.Fatalf("history = %v", hist)
	}
	// Another user sees none of it.
	if out := h.mustDo("bob@example.com", "GET", "/api/v1/outlook/sync", nil, http.StatusOK); len(out["history"].([]any)) != 0 {
		t.Fatalf("bob sees alice's history: %v", out["history"])
	}
	rec := httptest.NewRecorder()
	h.app.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	if rec.Code != http.StatusOK || !strings.Contains(string(body), "calendar_sync_cycle_seconds") {
		t.Fatalf("/metrics: %d\n%s", rec.Code, body)
	}
}

// /metrics holds aggregate counters only (no address, name or id of anyone), and with
// CALENDAR_METRICS_TOKEN set it asks for that token.
func TestMetricsCarryNothingPersonalAndCanAskForAToken(t *testing.T) {
	db := dbtest.SQLite(t)
	cfg := testConfig(t, "http://calendar.test")
	cfg.MetricsToken = "metrics-token-0123456789"
	a, err := New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), db, WithBcryptCost(bcrypt.MinCost))
	if err != nil {
		t.Fatal(err)
	}
	addUser(t, a, "alice@example.com", "Alice Andersen", "correct horse", false)
	get := func(auth string) (int, string) {
		req := httptest.NewRequest("GET", "/metrics", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		a.Handler().ServeHTTP(rec, req)
		body, _ := io.ReadAll(rec.Body)
		return rec.Code, string(body)
	}
	for _, auth := range []string{"", "Bearer wrong-token-0123456789", "metrics-token-0123456789"} {
		if code, _ := get(auth); code != http.StatusUnauthorized {
			t.Errorf("/metrics with %q: %d, want 401", auth, code)
		}
	}
	code, body := get("Bearer metrics-token-0123456789")
	if code != http.StatusOK || !strings.Contains(body, "calendar_sync_cycle_seconds") {
		t.Fatalf("/metrics with the token: %d\n%s", code, body)
	}
	for _, personal := range []string{"alice", "Andersen", "example.com", "user="} {
		if strings.Contains(strings.ToLower(body), strings.ToLower(personal)) {
			t.Errorf("/metrics mentions %q", personal)
		}
	}
}

// The sync page shows its times in the viewer's zone and names it: the history's "When" and
// the instants in its details (the original start of an occurrence), never raw UTC.
func TestSyncPageShowsTimesInTheViewersZone(t *testing.T) {
	h := newPageHarness(t, dbtest.SQLite(t))
	carol := h.users["carol@example.com"]
	if err := h.app.syncStore.AddHistory(context.Background(), carol.ID, []outlooksync.HistoryEntry{{EventID: 3, Direction: "to Outlook",
		Summary: "Changed one occurrence in Outlook", Detail: "2026-12-18T10:00:00Z"}}); err != nil {
		t.Fatal(err)
	}
	code, body := h.as("carol@example.com").page("/outlook/sync")
	if code != http.StatusOK {
		t.Fatalf("sync page: %d", code)
	}
	for _, want := range []string{"America/New_York", "Fri 18 Dec 2026 05:00 EST"} {
		if !strings.Contains(body, want) {
			t.Errorf("sync page lacks %q", want)
		}
	}
	if strings.Contains(body, "2026-12-18T10:00:00Z<") || strings.Contains(body, ">2026-12-18T10:00:00Z") {
		t.Errorf("sync page shows the raw instant:\n%s", body)
	}
}
