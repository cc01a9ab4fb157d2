package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"intracal/migrations/dbtest"
)

// Invalid UTF-8 inside JSON is refused with a 400 naming the field, and nothing is stored
// (the JSON decoder alone would have stored U+FFFD in its place).
func TestAPIRefusesInvalidUTF8NamingTheField(t *testing.T) {
	h := newAPIHarness(t, dbtest.SQLite(t))
	code, out := h.do("alice@example.com", "POST", "/api/v1/events", "{\"title\":\"Plan\",\"location\":\"Room \xff1\",\"start\":\"2026-03-02T09:00:00\",\"timeZone\":\"UTC\"}")
	e, _ := out["error"].(map[string]any)
	if code != http.StatusBadRequest || e == nil || !strings.Contains(fmt.Sprint(e["message"]), `"location"`) {
		t.Fatalf("status %d, %v: want 400 naming the location", code, out)
	}
	_, list := h.do("alice@example.com", "GET", "/api/v1/occurrences?from=2026-03-01&to=2026-03-31", nil)
	if occ, _ := list["occurrences"].([]any); len(occ) != 0 {
		t.Fatalf("the refused event was stored: %v", occ)
	}
}
