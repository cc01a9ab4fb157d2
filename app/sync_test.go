package app

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"intracal/migrations/dbtest"
	"intracal/outlooksync"
)

func TestSyncStatusShowsHistoryAndMetricsServe(t *testing.T) {
	h := newAPIHarness(t, dbtest.SQLite(t))
	ctx := context.Background()
	alice, err := h.app.users.byEmail(ctx, "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.app.sync.store.AddHistory(ctx, alice.ID, []outlooksync.HistoryEntry{{EventID: 3, Direction: "conflict",
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
